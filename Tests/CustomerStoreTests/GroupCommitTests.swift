import TestSupport
import Foundation
import Testing
@testable import CustomerStore

/// Group commit in the writer: writes queued while one runs share the next transaction, each in its
/// own savepoint, and hear of their outcome only after its COMMIT. Groups are formed on purpose by
/// holding the first write inside its body (a `Gate`) until the others have queued.
@Suite struct GroupCommitTests {
    struct BodyError: Error, Equatable {
        let name: String
    }

    /// Many threads create customers at once: every call succeeds, every customer is there (with a
    /// distinct number) after reopening the file, and every write went through the writer once.
    @Test func manyConcurrentWritersAllLand() async throws {
        let fixture = try Fixture()
        let before = fixture.store.writer.statistics
        let threads = 32
        let perThread = 10
        let created = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for thread in 0..<threads {
                group.addTask {
                    try await onThread { try (0..<perThread).map { try fixture.create("Thread \(thread) #\($0)").number } }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(created.count == threads * perThread)
        let after = fixture.store.writer.statistics
        #expect(after.writes - before.writes == threads * perThread)
        #expect(after.waiting == 0)

        fixture.store.close()
        let reopened = try CustomerStore(path: fixture.directory.databasePath, options: Fixture.options(clock: fixture.clock))
        defer { reopened.close() }
        let numbers = try allPages(reopened).map(\.number)
        #expect(Set(numbers) == Set(10_001...Int64(10_000 + threads * perThread)))
        #expect(numbers.count == threads * perThread)
    }

    /// A body that throws in the middle of a group leaves none of its rows; the bodies before and
    /// after it in the same transaction keep theirs, and its caller gets its own error, typed.
    @Test func aThrowingBodyIsUndoneAloneInItsGroup() async throws {
        let fixture = try Fixture.withLogTable()
        let before = fixture.store.writer.statistics
        let gate = Gate()
        let first = try await fixture.startHeldWrite(gate)
        let second = try await fixture.startQueuedWrite(queued: 1) { try insertLog($0, "B") }
        let failing = try await fixture.startQueuedWrite(queued: 2) { connection -> Int64 in
            try insertLog(connection, "C")
            throw BodyError(name: "C")
        }
        let fourth = try await fixture.startQueuedWrite(queued: 3) { try insertLog($0, "D") }
        gate.open()

        #expect(try await first.value == 1)
        #expect(try await second.value == 2)
        await #expect(throws: BodyError(name: "C")) { try await failing.value }
        #expect(try await fourth.value == 3)  // C's row was gone before D ran.
        #expect(try fixture.loggedNames() == ["A", "B", "D"])
        let after = fixture.store.writer.statistics
        // A alone (the group it led had formed before the others queued), then B, C, D together.
        #expect(after.groups - before.groups == 2)
        #expect(after.writes - before.writes == 4)
    }

    /// A create runs in its group without a savepoint (it refuses before its first change): one
    /// refused by its checks (an invalid e-mail) or by its INSERT (a number that an earlier create
    /// of the group took) leaves nothing, not even a step of the number sequence, and the creates
    /// around it in the same transaction keep theirs.
    @Test func refusedCreatesInAGroupLeaveNothingAndTheOthersLand() async throws {
        let fixture = try Fixture.withLogTable()
        let before = fixture.store.writer.statistics
        let gate = Gate()
        let first = try await fixture.startHeldWrite(gate)
        func queuedCreate(_ queued: Int, _ name: String, number: Int64? = nil, email: String? = nil) async throws
            -> ThreadTask<StoredCustomer> {
            let task = ThreadTask { try fixture.create(name, number: number, email: email) }
            try await fixture.waitUntilQueued(queued)
            return task
        }
        let kept = try await queuedCreate(1, "Kept Oy")
        let takenNumber = try await queuedCreate(2, "Taken Oy", number: 10_001)
        let badEmail = try await queuedCreate(3, "Mail Oy", email: "nope")
        let last = try await queuedCreate(4, "Last Oy")
        gate.open()

        #expect(try await first.value == 1)
        #expect(try await kept.value.number == 10_001)
        let taken = await #expect(throws: StoreError.self) { try await takenNumber.value }
        guard case .alreadyExists(_, field: "number") = taken else {
            Issue.record("a taken number: \(String(describing: taken))")
            return
        }
        let invalid = await #expect(throws: StoreError.self) { try await badEmail.value }
        guard case .invalidArgument(let violations) = invalid, violations.map(\.field) == ["email"] else {
            Issue.record("an invalid e-mail address: \(String(describing: invalid))")
            return
        }
        #expect(try await last.value.number == 10_002)
        let after = fixture.store.writer.statistics
        #expect(after.groups - before.groups == 2 && after.writes - before.writes == 5)
        #expect(try allPages(fixture.store).map(\.name) == ["Kept Oy", "Last Oy"])
        #expect(try fixture.create("After Oy").number == 10_003)
    }

    /// An update runs in its group without a savepoint too: one refused by its version check, or by
    /// its UPDATE (a number another customer has), leaves the customer as it was, and the updates
    /// around it in the same transaction keep theirs.
    @Test func refusedUpdatesInAGroupLeaveNothingAndTheOthersLand() async throws {
        let fixture = try Fixture.withLogTable()
        let first = try fixture.create("First Oy"), second = try fixture.create("Second Oy")
        let before = fixture.store.writer.statistics
        let gate = Gate()
        let held = try await fixture.startHeldWrite(gate)
        func queuedUpdate(_ queued: Int, _ id: Int64, _ changes: CustomerChanges, expectedVersion: Int64? = nil) async throws
            -> ThreadTask<StoredCustomer> {
            let task = ThreadTask {
                try fixture.store.updateCustomer(id: id, changes, expectedVersion: expectedVersion, by: .user(fixture.admin.id))
            }
            try await fixture.waitUntilQueued(queued)
            return task
        }
        let renamed = try await queuedUpdate(1, first.id, CustomerChanges(name: "First Renamed Oy"))
        let stale = try await queuedUpdate(2, second.id, CustomerChanges(name: "Stale Oy"), expectedVersion: 7)
        let takenNumber = try await queuedUpdate(3, second.id, CustomerChanges(number: first.number))
        let described = try await queuedUpdate(4, second.id, CustomerChanges(description: "Kept"))
        gate.open()

        #expect(try await held.value == 1)
        #expect(try await renamed.value.version == 2)
        let aborted = await #expect(throws: StoreError.self) { try await stale.value }
        guard case .aborted = aborted else {
            Issue.record("a stale version: \(String(describing: aborted))")
            return
        }
        let taken = await #expect(throws: StoreError.self) { try await takenNumber.value }
        guard case .alreadyExists(_, field: "number") = taken else {
            Issue.record("a taken number: \(String(describing: taken))")
            return
        }
        #expect(try await described.value.version == 2)
        let after = fixture.store.writer.statistics
        #expect(after.groups - before.groups == 2 && after.writes - before.writes == 5)
        let stored = try fixture.store.customer(id: second.id)
        #expect(stored.name == "Second Oy" && stored.number == second.number && stored.description == "Kept")
        #expect(try fixture.store.history(.customer, id: second.id).map(\.action) == ["created", "updated"])
    }

    /// Bodies run in the order their calls queued, and each sees what the earlier ones wrote.
    @Test func bodiesRunInQueueOrder() async throws {
        let fixture = try Fixture.withLogTable()
        let gate = Gate()
        let first = try await fixture.startHeldWrite(gate, "0")
        var queued: [ThreadTask<Int64>] = []
        for index in 1...5 {
            queued.append(try await fixture.startQueuedWrite(queued: index) { try insertLog($0, "\(index)") })
        }
        gate.open()

        #expect(try await first.value == 1)
        var seen: [Int64] = []
        for task in queued { seen.append(try await task.value) }
        #expect(seen == [2, 3, 4, 5, 6])
        #expect(try fixture.loggedNames() == ["0", "1", "2", "3", "4", "5"])
    }

    /// When the group's COMMIT fails, no member of the group is acknowledged and none of its rows
    /// stays. Forced honestly with a deferred foreign key: SQLite checks it only at COMMIT
    /// (SQLite docs, "Deferred Foreign Key Constraints"), not at a nested savepoint's RELEASE.
    @Test func aFailingCommitFailsTheWholeGroup() async throws {
        let fixture = try Fixture.withLogTable()
        try fixture.rawWrite("""
            CREATE TABLE child (id INTEGER PRIMARY KEY,
                                log_id INTEGER REFERENCES log (id) DEFERRABLE INITIALLY DEFERRED)
            """)
        let gate = Gate()
        let first = try await fixture.startHeldWrite(gate)
        let before = try await fixture.startQueuedWrite(queued: 1) { try insertLog($0, "B") }
        let dangling = try await fixture.startQueuedWrite(queued: 2) { connection -> Int64 in
            try connection.run("INSERT INTO child (log_id) VALUES (999)")
            return try insertLog(connection, "C")
        }
        let after = try await fixture.startQueuedWrite(queued: 3) { try insertLog($0, "D") }
        gate.open()

        #expect(try await first.value == 1)
        for task in [before, dangling, after] {
            let outcome = await task.result
            guard case .failure(StoreError.brokenRule(_, let context)) = outcome else {
                Issue.record("expected the COMMIT's foreign key failure, got \(outcome)")
                continue
            }
            #expect(context.contains("COMMIT"))
        }
        #expect(try fixture.loggedNames() == ["A"])
        #expect(try fixture.rawCount("SELECT count(*) FROM child") == 0)
        // The writer is usable again: the failed transaction was rolled back.
        #expect(try fixture.store.write { try insertLog($0, "E") } == 2)
    }

    /// A body whose error makes SQLite roll back the whole transaction, not just its statement
    /// (here RAISE(ROLLBACK) in a trigger; SQLITE_FULL or SQLITE_IOERR may do the same), takes the
    /// members before it down with it: they get its error, as nothing of theirs was committed.
    /// The members after it had not run; they form the next group and succeed.
    @Test func aBodyThatEndsTheTransactionFailsTheMembersBeforeIt() async throws {
        let fixture = try Fixture.withLogTable()
        try fixture.rawWrite("CREATE TABLE refused (id INTEGER PRIMARY KEY)")
        try fixture.rawWrite("""
            CREATE TRIGGER refuse_all BEFORE INSERT ON refused BEGIN SELECT RAISE(ROLLBACK, 'refused by trigger'); END
            """)
        let gate = Gate()
        let first = try await fixture.startHeldWrite(gate)
        let earlier = try await fixture.startQueuedWrite(queued: 1) { try insertLog($0, "B") }
        let ending = try await fixture.startQueuedWrite(queued: 2) { connection -> Int64 in
            try insertLog(connection, "C")
            try connection.run("INSERT INTO refused DEFAULT VALUES")
            return 0
        }
        let later = try await fixture.startQueuedWrite(queued: 3) { try insertLog($0, "D") }
        gate.open()

        #expect(try await first.value == 1)
        for task in [earlier, ending] {
            let outcome = await task.result
            guard case .failure(StoreError.brokenRule("refused by trigger", _)) = outcome else {
                Issue.record("expected the trigger's refusal, got \(outcome)")
                continue
            }
        }
        #expect(try await later.value == 2)
        #expect(try fixture.loggedNames() == ["A", "D"])
    }

    /// `close()` fails the queued writes with `.closed` at once; the write already running commits.
    @Test func closeFailsQueuedWrites() async throws {
        let fixture = try Fixture.withLogTable()
        let gate = Gate()
        let running = try await fixture.startHeldWrite(gate)
        let queued = [try await fixture.startQueuedWrite(queued: 1) { try insertLog($0, "B") },
                      try await fixture.startQueuedWrite(queued: 2) { try insertLog($0, "C") }]
        fixture.store.close()
        for task in queued {
            await #expect(throws: StoreError.closed) { try await task.value }
        }
        gate.open()

        #expect(try await running.value == 1)
        #expect(throws: StoreError.closed) { try fixture.store.write { try insertLog($0, "D") } }
        let reopened = try CustomerStore(path: fixture.directory.databasePath, options: Fixture.options(clock: fixture.clock))
        defer { reopened.close() }
        let names = try reopened.read { connection in
            try connection.withStatement("SELECT group_concat(name, ',') FROM log") { try $0.step() ? $0.text(0) : "" }
        }
        #expect(names == "A")
    }

    /// `withConnection` (file uploads and removals) waits its turn among the writes and runs alone,
    /// between two groups' commits: it sees A committed and not B, which queued after it.
    @Test func exclusiveUseTakesItsTurnBetweenGroups() async throws {
        let fixture = try Fixture.withLogTable()
        let before = fixture.store.writer.statistics
        let gate = Gate()
        let first = try await fixture.startHeldWrite(gate)
        let exclusive = Task {
            try await onThread {
                try fixture.store.writer.withConnection { connection in
                    try connection.withStatement("SELECT group_concat(name, ',') FROM log") { try $0.step() ? $0.text(0) : "" }
                }
            }
        }
        try await fixture.waitUntilQueued(1)
        let last = try await fixture.startQueuedWrite(queued: 2) { try insertLog($0, "B") }
        gate.open()

        #expect(try await first.value == 1)
        #expect(try await exclusive.value == "A")
        #expect(try await last.value == 2)
        #expect(fixture.store.writer.statistics.groups - before.groups == 2)  // A, then B: not one group.
    }

    /// A group stops taking members once it has run longer than its budget; the ones left out
    /// form the next group together, still in order.
    @Test func aGroupOverItsBudgetLeavesTheRestToTheNext() async throws {
        // A budget long enough for C and D to share their group on a busy machine.
        let budget: UInt64 = 1_000_000_000
        let fixture = try Fixture.withLogTable(groupBudgetNanoseconds: budget)
        let before = fixture.store.writer.statistics
        let gate = Gate()
        let first = try await fixture.startHeldWrite(gate)
        let slow = try await fixture.startQueuedWrite(queued: 1) { connection -> Int64 in
            // Longer than the budget, so the group ends after this member.
            Thread.sleep(forTimeInterval: Double(budget) / 1e9 * 2)
            return try insertLog(connection, "B")
        }
        let leftOut = [try await fixture.startQueuedWrite(queued: 2) { try insertLog($0, "C") },
                       try await fixture.startQueuedWrite(queued: 3) { try insertLog($0, "D") }]
        gate.open()

        #expect(try await first.value == 1)
        #expect(try await slow.value == 2)
        #expect(try await leftOut[0].value == 3)
        #expect(try await leftOut[1].value == 4)
        let after = fixture.store.writer.statistics
        #expect(after.groups - before.groups == 3)  // A; B (C and D left out); C with D.
        #expect(after.writes - before.writes == 4)
        #expect(try fixture.loggedNames() == ["A", "B", "C", "D"])
    }
}

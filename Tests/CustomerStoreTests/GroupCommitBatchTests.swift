import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine
import Synchronization

/// The creates of a group are written together, one multi-row INSERT per table before COMMIT
/// (`CustomerCreateBatch`): what they write, and how they are refused, is what the same creates
/// one after another write (a create with a number of its own does not join the batch: it runs
/// after the batch is written, as an ordinary write). Groups are formed as in `GroupCommitTests`: a first write held inside
/// its body until the others have queued.
@Suite struct GroupCommitBatchTests {
    /// One create of a scenario: its name, and the call.
    typealias Create = (name: String, call: @Sendable (Fixture) throws -> StoredCustomer)

    /// Creates that the batch must answer for: a number given that the next automatic one would
    /// be, the same number given twice, a VAT number twice (refused, naming the first holder), once
    /// more allowed, and again refused naming the first; an invalid field; automatic numbers between.
    static let creates: [Create] = [
        ("Alpha Oy", { try $0.create("Alpha Oy") }),
        ("Beta Oy", { try $0.create("Beta Oy", number: 10_002) }),
        ("Gamma Oy", { try $0.create("Gamma Oy", email: "office@gamma.fi") }),
        ("Delta Oy", { try $0.create("Delta Oy", vatNumber: "FI01120389", country: "FI") }),
        ("Epsilon Oy", { try $0.create("Epsilon Oy", vatNumber: "FI01120389", country: "FI") }),
        ("Zeta Oy", { try $0.create("Zeta Oy", number: 10_002) }),
        ("Eta Oy", { try $0.create("Eta Oy", email: "nope") }),
        ("Theta Oy", { fixture in
            try fixture.store.createCustomer(NewCustomer(name: "Theta Oy", vatNumber: "FI01120389", country: "FI"),
                                             allowDuplicateVAT: true, by: .user(fixture.admin.id))
        }),
        ("Iota Oy", { try $0.create("Iota Oy", vatNumber: "FI01120389", country: "FI") }),
        ("Kappa Oy", { try $0.create("Kappa Oy", number: 10_006) }),
        ("Lambda Oy", { try $0.create("Lambda Oy") }),
        ("Mu Oy", { try $0.create("Mu Oy") }),
    ]

    /// A create's outcome as a test compares it: its number, or its error.
    static func outcome(_ result: Result<StoredCustomer, any Error>) -> String {
        switch result {
        case .success(let customer): "\(customer.id) \(customer.number)"
        case .failure(let error): String(describing: error)
        }
    }

    /// The creates of one group write the rows the same creates write one after another (every
    /// table they touch, row for row: customers, match keys, history, the number sequence and
    /// SQLite's id sequence), get the same ids and numbers, and are refused with the same errors.
    @Test func aGroupsCreatesWriteWhatLoneCreatesWrite() async throws {
        let grouped = try Fixture.withLogTable(), alone = try Fixture.withLogTable()
        let before = grouped.store.writer.statistics
        let gate = Gate()
        let held = try await grouped.startHeldWrite(gate)
        var tasks: [ThreadTask<StoredCustomer>] = []
        for (index, create) in Self.creates.enumerated() {
            tasks.append(ThreadTask { try create.call(grouped) })
            try await grouped.waitUntilQueued(index + 1)
        }
        gate.open()
        #expect(try await held.value == 1)
        var groupedOutcomes: [String] = []
        for task in tasks { groupedOutcomes.append(Self.outcome(await task.result)) }
        let after = grouped.store.writer.statistics
        #expect(after.groups - before.groups == 2 && after.writes - before.writes == Self.creates.count + 1)

        try alone.rawWrite("INSERT INTO log (name) VALUES ('A')")
        let aloneOutcomes = Self.creates.map { create in Self.outcome(Result { try create.call(alone) }) }
        #expect(groupedOutcomes == aloneOutcomes)
        // What the scenario covered: the ids and numbers taken, and each kind of refusal.
        #expect([0, 1, 2, 3, 7, 9, 10, 11].map { aloneOutcomes[$0] }
            == ["1 10001", "2 10002", "3 10003", "4 10004", "5 10005", "6 10006", "7 10007", "8 10008"])
        for index in [4, 8] {
            #expect(aloneOutcomes[index].hasPrefix("already exists (vatNumber): customer 4 (number 10004, \"Delta Oy\")"))
        }
        #expect(aloneOutcomes[5] == "already exists (number): is already taken")
        #expect(aloneOutcomes[6].hasPrefix("invalid argument: email"))
        #expect(try Self.rows(grouped) == Self.rows(alone))
        #expect(try grouped.create("After Oy") == alone.create("After Oy"))
    }

    /// A write that does not join the batch, between creates of one group, sees the creates queued
    /// before it (the batch is written first); the creates after it go on numbering from there.
    @Test func aWriteBetweenCreatesSeesTheCreatesBeforeIt() async throws {
        let fixture = try Fixture.withLogTable()
        let gate = Gate()
        let held = try await fixture.startHeldWrite(gate)
        let first = ThreadTask { try fixture.create("First Oy") }
        try await fixture.waitUntilQueued(1)
        let counting = try await fixture.startQueuedWrite(queued: 2) { connection in
            try connection.withStatement("SELECT count(*) FROM customers") { try $0.step() ? $0.int64(0) : -1 }
        }
        let second = ThreadTask { try fixture.create("Second Oy") }
        try await fixture.waitUntilQueued(3)
        gate.open()
        #expect(try await held.value == 1)
        #expect(try await first.value.number == 10_001)
        #expect(try await counting.value == 1)
        #expect(try await second.value.number == 10_002)
        #expect(try allPages(fixture.store, order: .byNumber).map(\.name) == ["First Oy", "Second Oy"])
    }

    /// When the batch's INSERT fails (here a trigger the test adds; the schema refuses nothing a
    /// create's checks let through), the group stops as at a failed COMMIT: every member gets the
    /// error, nothing of the group is committed, and the next create finds nothing of the batch
    /// (same id, number and history as on an empty database).
    @Test func aFailingBatchFailsItsGroupAndLeavesNothing() async throws {
        let fixture = try Fixture.withLogTable()
        try fixture.rawWrite("""
            CREATE TRIGGER boom BEFORE INSERT ON customers WHEN NEW.name = 'Boom Oy' BEGIN SELECT RAISE(ABORT, 'boom'); END
            """)
        let gate = Gate()
        let held = try await fixture.startHeldWrite(gate)
        var tasks: [ThreadTask<StoredCustomer>] = []
        for (index, name) in ["One Oy", "Boom Oy", "Two Oy"].enumerated() {
            tasks.append(ThreadTask { try fixture.create(name) })
            try await fixture.waitUntilQueued(index + 1)
        }
        gate.open()
        #expect(try await held.value == 1)  // It led a group of its own, formed before the creates queued.
        for task in tasks {
            let error = await #expect(throws: StoreError.self) { try await task.value }
            guard case .brokenRule("boom", _)? = error else {
                Issue.record("expected the trigger's refusal, got \(String(describing: error))")
                continue
            }
        }
        let after = try fixture.create("After Oy")
        #expect(after.id == 1 && after.number == 10_001)
        #expect(try allPages(fixture.store).map(\.name) == ["After Oy"])
        #expect(try fixture.rawCount("SELECT count(*) FROM history WHERE entity = 'customer'") == 1)
    }

    /// The batch's own INSERTs are `INSERT OR ROLLBACK` (migration 25): a conflict in one ends
    /// the group's transaction in SQLite itself. Here a unique index the test adds refuses the
    /// second "Boom Oy" of the batch; the batch is written before the create with a number of its
    /// own, which gets that error as the members before it do. Nothing of the group is committed,
    /// and the writer goes on: the next create finds an empty database.
    @Test func aBatchRolledBackByItsOwnConflictFailsItsGroupAndLeavesNothing() async throws {
        let fixture = try Fixture.withLogTable()
        try fixture.rawWrite("CREATE UNIQUE INDEX boom ON customers (name_key) WHERE name_key = 'boom oy'")
        let gate = Gate()
        let held = try await fixture.startHeldWrite(gate)
        var tasks: [ThreadTask<StoredCustomer>] = []
        let creates: [@Sendable () throws -> StoredCustomer] = [
            { try fixture.create("One Oy") }, { try fixture.create("Boom Oy") }, { try fixture.create("Boom Oy") },
            { try fixture.create("Numbered Oy", number: 20_000) },
        ]
        for (index, create) in creates.enumerated() {
            tasks.append(ThreadTask { try create() })
            try await fixture.waitUntilQueued(index + 1)
        }
        gate.open()
        #expect(try await held.value == 1)
        for task in tasks {
            let error = await #expect(throws: StoreError.self) { try await task.value }
            #expect("\(String(describing: error))".hasPrefix("Optional(already exists (customers.name_key)"))
        }
        let after = try fixture.create("After Oy")
        #expect(after.id == 1 && after.number == 10_001)
        #expect(try allPages(fixture.store).map(\.name) == ["After Oy"])
        #expect(try fixture.rawCount("SELECT count(*) FROM history WHERE entity = 'customer'") == 1)
        #expect(try fixture.rawCount("SELECT count(*) FROM customer_match_keys") == 1)
    }

    /// Creates handed over to the writer (as the server's unkeyed creates are), queued behind a
    /// running write so they form one batch: one refused inside it (a VAT number a customer
    /// queued before it in the same batch has) writes nothing and fails no other; each of the
    /// others is answered after the COMMIT, with the customer as it reads back.
    @Test func aRefusedCreateInAHandedOffBatchLeavesTheOthersAcknowledged() async throws {
        let fixture = try Fixture.withLogTable()
        let gate = Gate()
        let held = try await fixture.startHeldWrite(gate)
        let outcomes = Mutex<[String: Result<StoredCustomer, any Error>]>([:])
        let names = (0..<20).map { "Batch \($0) Oy" }
        await onThread {
            for name in names {
                let vatNumber = name == "Batch 3 Oy" || name == "Batch 7 Oy" ? "FI01120389" : nil
                fixture.store.createCustomer(NewCustomer(name: name, vatNumber: vatNumber, country: "FI"),
                                             by: .user(fixture.admin.id)) { result in
                    outcomes.withLock { $0[name] = result }
                }
            }
        }
        #expect(fixture.store.writer.statistics.waiting == names.count)
        gate.open()
        #expect(try await held.value == 1)
        try await waitUntil("the handed-off creates to be answered") { outcomes.withLock { $0.count } == names.count }

        let results = outcomes.withLock { $0 }
        let refused = try #require(results["Batch 7 Oy"])
        let first = try #require(try results["Batch 3 Oy"]?.get())
        guard case .alreadyExists(let message, field: "vatNumber")? = storeError(of: { _ = try refused.get() }) else {
            Issue.record("a duplicate VAT number in the batch was not refused: \(refused)")
            return
        }
        #expect(message.contains("customer \(first.id) (number \(first.number)"))
        var acknowledged: [StoredCustomer] = []
        for name in names where name != "Batch 7 Oy" { acknowledged.append(try #require(try results[name]?.get())) }
        #expect(acknowledged.map(\.number) == Array(10_001...10_019))
        for customer in acknowledged { #expect(try fixture.store.customer(id: customer.id) == customer) }
        #expect(try allPages(fixture.store).count == 19)
        #expect(try fixture.rawCount("SELECT count(*) FROM history WHERE entity = 'customer'") == 19)
        #expect(try fixture.rawCount("SELECT last_number FROM customer_number_sequence") == 10_019)
        #expect(try fixture.create("After Oy").number == 10_020)
    }

    /// Every row of the tables a create writes, as text, in a fixed order.
    static func rows(_ fixture: Fixture) throws -> [String: [String]] {
        let queries = [
            "customers": "SELECT * FROM customers ORDER BY id",
            "customer_match_keys": "SELECT kind, key, customer_id FROM customer_match_keys ORDER BY customer_id, kind, key",
            "history": "SELECT * FROM history ORDER BY id",
            "sqlite_sequence": "SELECT * FROM sqlite_sequence ORDER BY name",
            "customer_number_sequence": "SELECT * FROM customer_number_sequence",
        ]
        return try fixture.store.read { connection in
            try queries.mapValues { sql in
                try connection.withStatement(sql) { statement in
                    var rows: [String] = []
                    while try statement.step() {
                        rows.append((0..<statement.columnCount).map { statement.optionalText($0) ?? "NULL" }
                            .joined(separator: "|"))
                    }
                    return rows
                }
            }
        }
    }
}

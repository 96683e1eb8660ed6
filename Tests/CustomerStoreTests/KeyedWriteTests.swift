import Foundation
import Testing
@testable import CustomerStore

/// `keyedWrite`: once per (user, key) within the retention period, and in the write's own transaction.
@Suite struct KeyedWriteTests {
    func claim(_ fixture: Fixture, user: StoredUser? = nil, key: String = "k", request: String = "create Acme") -> IdempotencyClaim {
        IdempotencyClaim(userID: (user ?? fixture.admin).id, key: key, method: "test/Create", request: Array(request.utf8))
    }

    /// Creates a customer through the keyed view, as a handler does, and answers with its id.
    func createInside(_ fixture: Fixture, _ name: String) throws -> [UInt8] {
        let created = try fixture.store.insideKeyedWrites().createCustomer(NewCustomer(name: name), by: .user(fixture.admin.id))
        return Array(String(created.id).utf8)
    }

    @Test func aSecondCallWithTheKeyGetsTheFirstAnswerWithoutRunning() throws {
        let fixture = try Fixture()
        let first = try fixture.store.keyedWrite(claim(fixture)) { try createInside(fixture, "Acme") }
        let second = try fixture.store.keyedWrite(claim(fixture)) { try createInside(fixture, "Acme") }
        guard case .ran(let answer) = first else { Issue.record("first: \(first)"); return }
        #expect(second == .replayed(answer))
        #expect(try allPages(fixture.store).map(\.name) == ["Acme"])
    }

    @Test func theKeyIsForgottenAfterTwentyFourHours() throws {
        let fixture = try Fixture()
        _ = try fixture.store.keyedWrite(claim(fixture)) { try createInside(fixture, "Day one") }
        // A day of keyed writes an hour apart: each hour counts (a longer gap would count as one).
        let hour = IdempotencyClaim.clockStepLimitMilliseconds
        for index in 1..<24 {
            fixture.clock.advance(milliseconds: hour)
            _ = try fixture.store.keyedWrite(claim(fixture, key: "hour-\(index)")) { [] }
        }
        fixture.clock.advance(milliseconds: hour - 1)
        _ = try fixture.store.keyedWrite(claim(fixture, key: "almost")) { [] }
        #expect(try fixture.store.keyedWrite(claim(fixture)) { try createInside(fixture, "Day one") }.isReplay)
        fixture.clock.advance(milliseconds: 2)
        #expect(try !fixture.store.keyedWrite(claim(fixture)) { try createInside(fixture, "Day one") }.isReplay)
        #expect(try fixture.rawCount("SELECT count(*) FROM idempotency_keys") == 25)
        #expect(try allPages(fixture.store).count == 2)
    }

    @Test func aClockSetForwardADayDropsNoKey() throws {
        let fixture = try Fixture()
        let first = try fixture.store.keyedWrite(claim(fixture)) { try createInside(fixture, "Before") }
        fixture.clock.advance(milliseconds: IdempotencyClaim.retentionMilliseconds + IdempotencyClaim.clockStepLimitMilliseconds)
        _ = try fixture.store.keyedWrite(claim(fixture, key: "other")) { try createInside(fixture, "After") }
        guard case .ran(let answer) = first else { Issue.record("first: \(first)"); return }
        #expect(try fixture.store.keyedWrite(claim(fixture)) { try createInside(fixture, "Before") } == .replayed(answer))
        #expect(try allPages(fixture.store).map(\.name).sorted() == ["After", "Before"])
    }

    @Test func aClockSetBackKeepsAKeyNoLongerThanADayOfKeyedWrites() throws {
        let fixture = try Fixture()
        _ = try fixture.store.keyedWrite(claim(fixture)) { try createInside(fixture, "Before") }
        fixture.clock.advance(milliseconds: -2 * IdempotencyClaim.retentionMilliseconds)
        #expect(try fixture.store.keyedWrite(claim(fixture)) { try createInside(fixture, "Before") }.isReplay)
        let hour = IdempotencyClaim.clockStepLimitMilliseconds
        for index in 1...24 {
            fixture.clock.advance(milliseconds: hour)
            _ = try fixture.store.keyedWrite(claim(fixture, key: "hour-\(index)")) { [] }
        }
        fixture.clock.advance(milliseconds: 1)
        #expect(try !fixture.store.keyedWrite(claim(fixture)) { try createInside(fixture, "Before") }.isReplay)
    }

    /// The clock-step rule costs the same whatever the table holds: a keyed write after a quiet
    /// night or after a step back of a millisecond changes its own key and the keys' clock, and no
    /// earlier key's stamp (each such write rewrote every key, a day of them on a busy server).
    @Test func aKeyedWriteAfterALongGapOrASmallStepBackRewritesNoEarlierKey() throws {
        let fixture = try Fixture()
        for index in 0..<20 {
            fixture.clock.advance(milliseconds: 60_000)
            _ = try fixture.store.keyedWrite(claim(fixture, key: "day-\(index)")) { [] }
        }
        let stamps = "SELECT sum(created_at) FROM idempotency_keys WHERE key LIKE 'day-%'"
        let stampsBefore = try fixture.rawCount(stamps)
        for (step, key) in [(8 * IdempotencyClaim.clockStepLimitMilliseconds, "after the night"), (-1, "a step back")] {
            fixture.clock.advance(milliseconds: step)
            let changesBefore = try fixture.store.write { $0.totalChanges }
            #expect(try !fixture.store.keyedWrite(claim(fixture, key: key)) { [] }.isReplay)
            let changes = try fixture.store.write { $0.totalChanges } - changesBefore
            #expect(changes == 2, "\(key): the key and the clock")
            #expect(try fixture.rawCount(stamps) == stampsBefore, "\(key)")
        }
        #expect(try fixture.store.keyedWrite(claim(fixture, key: "day-0")) { [] }.isReplay)
    }

    @Test func keysAreScopedPerUser() throws {
        let fixture = try Fixture()
        let mine = try fixture.store.keyedWrite(claim(fixture)) { try createInside(fixture, "Mine") }
        let theirs = try fixture.store.keyedWrite(claim(fixture, user: fixture.other)) { try createInside(fixture, "Theirs") }
        #expect(!mine.isReplay && !theirs.isReplay)
        #expect(try allPages(fixture.store).count == 2)
    }

    @Test func anotherRequestUnderTheKeyIsAConflictAndRunsNothing() throws {
        let fixture = try Fixture()
        _ = try fixture.store.keyedWrite(claim(fixture)) { try createInside(fixture, "Acme") }
        let other = try fixture.store.keyedWrite(claim(fixture, request: "create Beta")) { try createInside(fixture, "Beta") }
        #expect(other == .conflict(method: "test/Create"))
        #expect(try allPages(fixture.store).map(\.name) == ["Acme"])
    }

    @Test func aFailedBodyStoresNeitherItsWritesNorTheKey() throws {
        let fixture = try Fixture()
        #expect(throws: StoreError.self) {
            try fixture.store.keyedWrite(claim(fixture)) {
                _ = try createInside(fixture, "Half")
                throw StoreError.aborted("refused after the insert", field: "expectedVersion")
            }
        }
        #expect(try fixture.rawCount("SELECT count(*) FROM idempotency_keys") == 0)
        #expect(try allPages(fixture.store).isEmpty)
        let retry = try fixture.store.keyedWrite(claim(fixture)) { try createInside(fixture, "Whole") }
        #expect(!retry.isReplay)
        #expect(try allPages(fixture.store).map(\.name) == ["Whole"])
    }

    @Test func aWriteThroughThePooledStoreInsideTheBodyIsRefusedNotLeftHanging() throws {
        let fixture = try Fixture()
        let error = storeError {
            _ = try fixture.store.keyedWrite(claim(fixture)) {
                _ = try fixture.create("Would wait for itself")
                return []
            }
        }
        guard case .sqlite = error else { Issue.record("expected the misuse error, got \(String(describing: error))"); return }
        // The writer is free again.
        #expect(try fixture.create("Afterwards").name == "Afterwards")
    }
}

extension IdempotentOutcome {
    var isReplay: Bool {
        if case .replayed = self { return true }
        return false
    }
}

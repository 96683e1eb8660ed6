import CustomerClient
import CustomerServer
import Foundation
import Synchronization
import TestSupport
import Testing

/// The machine's wall clock set forward or back under a running server (docs/HARDENING.md, "The
/// wall clock"): the server's store reads the real clock plus an offset the test moves, as an
/// administrator's `date -s` would.
@Suite struct WallClockTests {
    /// The real clock plus an offset the test sets.
    final class MovedClock: Sendable {
        private let offset = Mutex<TimeInterval>(0)

        func move(hours: Double) {
            offset.withLock { $0 += hours * 3_600 }
        }

        var now: @Sendable () -> Date {
            { [self] in Date() + offset.withLock { $0 } }
        }
    }

    func keyed(_ key: String) -> CallOptions {
        var options = CallOptions()
        options.idempotencyKey = key
        return options
    }

    func start(_ clock: MovedClock, in directory: URL? = nil) throws -> TestServer {
        try TestServer(directory: directory, configure: { $0.clock = clock.now })
    }

    @Test func aRetryAfterTheClockWasSetForwardADayGetsTheFirstAnswerAndMakesNoDuplicate() async throws {
        let clock = MovedClock()
        let directory = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fields = CustomerFields(name: "Clockwise Oy", country: "FI")
        let created = try await withTestServer(start: { try start(clock, in: directory) }, stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            return try await client.customers.create(fields, options: keyed("before-the-jump"))
        }

        // The machine restarts with its clock a day and an hour ahead (a dead RTC battery set right
        // by hand the wrong way, say); another client's keyed write comes first, then the retry.
        clock.move(hours: 25)
        try await withTestServer(start: { try start(clock, in: directory) }, stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            _ = try await client.customers.create(CustomerFields(name: "Other Oy"), options: keyed("after-the-jump"))
            let retry = try await client.customers.create(fields, options: keyed("before-the-jump"))
            #expect(retry == created)
            let names = try await client.customers.list(limit: 10).customers.map(\.name)
            #expect(names.sorted() == ["Clockwise Oy", "Other Oy"])
        }
    }

    @Test func theClockSetBackKeepsTheFeedInOrderStampsRisingAndKeysAnswered() async throws {
        let clock = MovedClock()
        try await withTestServer(start: { try start(clock) }, stop: { $0.stop() }) { server in
            let client = server.client()
            defer { client.close() }
            let early = try await client.customers.create(CustomerFields(name: "Early Oy"), options: keyed("set-back"))
            clock.move(hours: -2)
            let updated = try await client.customers.update(id: early.id, CustomerFields(phone: "+358 40 765 4321"))
            let late = try await client.customers.create(CustomerFields(name: "Late Oy"))
            let retry = try await client.customers.create(CustomerFields(name: "Early Oy"), options: keyed("set-back"))

            #expect(retry == early)
            // A record's updated stamp never goes back, so "changed since" its last stamp finds the change.
            #expect(updated.updatedAt > early.updatedAt)
            let changed = try await client.customers.list(CustomerQuery(changedSince: early.updatedAt)).customers
            #expect(changed.map(\.id).contains(early.id))
            // The feed is ordered by sequence, not by the clock: the changes come as they were made.
            var events = client.changes.watch(after: 0).makeAsyncIterator()
            var seen: [ChangeEvent] = []
            while !(seen.last?.kind == .customer && seen.last?.entityId == late.id) {
                seen.append(try #require(try await events.next()))
            }
            let customers = seen.filter { $0.kind == .customer }
            #expect(customers.map(\.entityId) == [early.id, early.id, late.id])
            #expect(customers.map(\.action) == ["created", "updated", "created"])
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.sequence < $1.sequence })
        }
    }

    /// A client that follows `ListCustomers(changedSince:)` from the newest `updatedAt` it saw finds
    /// what was written after the clock was set back, by this server and by the next start (caps21;
    /// before, the new customers were stamped two hours earlier and neither was listed).
    @Test func changedSinceFindsCustomersWrittenAfterTheClockWasSetBackAlsoAfterARestart() async throws {
        let clock = MovedClock()
        let directory = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (mark, during) = try await withTestServer(start: { try start(clock, in: directory) }, stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            let before = try await client.customers.create(CustomerFields(name: "Before Oy"))
            clock.move(hours: -2)
            let during = try await client.customers.create(CustomerFields(name: "During Oy"))
            #expect(during.updatedAt >= before.updatedAt)
            #expect(during.createdAt >= before.createdAt)
            let changed = try await client.customers.list(CustomerQuery(changedSince: before.updatedAt)).customers
            #expect(changed.map(\.name).sorted() == ["Before Oy", "During Oy"])
            return (before.updatedAt, during)
        }
        // The clock is still two hours back when the server starts again.
        try await withTestServer(start: { try start(clock, in: directory) }, stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            let after = try await client.customers.create(CustomerFields(name: "After Restart Oy"))
            #expect(after.updatedAt >= during.updatedAt)
            let changed = try await client.customers.list(CustomerQuery(changedSince: max(mark, during.updatedAt))).customers
            #expect(changed.map(\.name).contains("After Restart Oy"), "\(changed.map(\.name))")
        }
    }
}

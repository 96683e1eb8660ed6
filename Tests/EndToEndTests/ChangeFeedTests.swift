import CustomerClient
import Foundation
import TestSupport
import Testing

/// The change feed (issue 18 §1): backlog then live changes in sequence order, values on created
/// and updated events, tombstones, kinds, retention, permissions and flow control, through a real
/// server on a real socket.
@Suite struct ChangeFeedTests {
    @Test func theBacklogThenLiveChangesArriveInOrderWithValuesAndTombstones() async throws {
        try await withServer { _, client in
            let kept = try await client.customers.create(CustomerFields(name: "Kept Oy", country: "FI"))
            _ = try await client.customers.update(id: kept.id, CustomerFields(name: "Kept Oyj"))
            let gone = try await client.customers.create(CustomerFields(name: "Gone AB"))
            try await client.customers.delete(id: gone.id, confirm: true)

            var events = client.changes.watch(after: 0).makeAsyncIterator()
            var backlog: [ChangeEvent] = []
            while backlog.last?.entityId != gone.id || backlog.last?.tombstone != true {
                backlog.append(try #require(try await events.next()))
            }
            #expect(zip(backlog, backlog.dropFirst()).allSatisfy { $0.sequence < $1.sequence })
            let keptEvents = backlog.filter { $0.kind == .customer && $0.entityId == kept.id }
            #expect(keptEvents.map(\.action) == ["created", "updated"])
            #expect(keptEvents.first?.changes.first { $0.field == "name" }?.newValue == "Kept Oy")
            #expect(keptEvents.last?.changes.map(\.field) == ["name"])
            #expect(keptEvents.last?.changes.first?.newValue == "Kept Oyj")
            // An erased customer's events carry no personal data, only the tombstone.
            let goneEvents = backlog.filter { $0.kind == .customer && $0.entityId == gone.id }
            #expect(goneEvents.last?.tombstone == true)
            #expect(!goneEvents.flatMap(\.changes).contains { $0.newValue == "Gone AB" || $0.oldValue == "Gone AB" })

            // Live: a change committed while the watcher waits arrives next, after the backlog.
            let live = try await client.customers.create(CustomerFields(name: "Live GmbH"))
            let next = try #require(try await events.next())
            #expect(next.entityId == live.id && next.action == "created" && next.sequence > backlog.last?.sequence ?? 0)
        }
    }

    @Test func aCursorOutsideWhatIsKeptIsOutOfRangeAndSaysResync() async throws {
        try await withTestServer(start: { try TestServer(configure: { $0.feedRetentionCount = 2 }) }, stop: { $0.stop() }) { server in
            let client = server.client()
            defer { client.close() }
            for index in 0..<4 { _ = try await client.customers.create(CustomerFields(name: "Kept \(index)")) }
            let bounds = try await client.changes.bounds()
            #expect(bounds.prunedThrough == bounds.last - 2)

            for cursor in [Int64(0), bounds.prunedThrough - 1, bounds.last + 1] {
                let error = await outcome { for try await _ in client.changes.watch(after: cursor) { break } }
                #expect(error?.code == .outOfRange, "cursor \(cursor)")
                #expect(error?.details == [ErrorDetail(field: "after", reason: "resync")], "cursor \(cursor)")
            }
            // At the horizon exactly, the kept events follow.
            var events = client.changes.watch(after: bounds.prunedThrough).makeAsyncIterator()
            #expect(try await events.next()?.sequence == bounds.prunedThrough + 1)
        }
    }

    @Test func theKindsFilterKeepsOnlyTheKindsAsked() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Kinds Oy"))
            _ = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Anna", lastName: "One"))
            _ = try await client.customers.update(id: customer.id, CustomerFields(phone: "+358 40 1234567"))
            let marker = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Bo", lastName: "Two"))

            var received: [ChangeEvent] = []
            for try await event in client.changes.watch(after: 0, kinds: [.contact]) {
                received.append(event)
                if event.entityId == marker.id { break }
            }
            #expect(received.map(\.kind) == [.contact, .contact])
            #expect(received.first?.changes.first { $0.field == "firstName" }?.newValue == "Anna")
        }
    }

    /// An own-scope watcher sees only its own customers' changes; without Financial figures a sales
    /// case's expected value is left out as ListHistory leaves it out.
    @Test(arguments: [(BuiltIn.administrator.rawValue, true), (BuiltIn.readOnly.rawValue, false)])
    func aWatcherSeesMoneyOnlyWithFinancialFigures(profile: String, seesMoney: Bool) async throws {
        try await withPermissionServer(profile: profile) { fixture in
            let last = try await fixture.client.changes.bounds().last
            var fields: [String] = []
            for try await event in fixture.client.changes.watch(after: 0) {
                if event.kind == .project { fields += event.changes.map(\.field) }
                if event.sequence == last { break }
            }
            #expect(fields.contains("expectedValue") == seesMoney, "\(profile): \(fields)")
            #expect(fields.contains("expectedCurrency"), "\(profile): \(fields)")
        }
    }

    @Test func anOwnScopeWatcherSeesOnlyItsOwnCustomers() async throws {
        try await withPermissionServer(profile: BuiltIn.consultant.rawValue) { fixture in
            let marker = try await fixture.client.customers.create(CustomerFields(name: "Own Marker Oy", accountManager: PermissionSeed.me))
            var customers: Set<Int64> = []
            for try await event in fixture.client.changes.watch(after: 0) {
                customers.insert(event.customerId)
                if event.customerId == marker.id { break }
            }
            #expect(customers == [fixture.seed.ownCustomer, marker.id])
        }
    }

    /// Initial sync: each snapshot row carries the feed position it is as of, and watching after
    /// the first one brings exactly the changes the snapshot does not have.
    @Test func aSnapshotTellsThePositionEachRowIsAsOf() async throws {
        try await withServer { _, client in
            let first = try await client.customers.create(CustomerFields(name: "Snapshot One"))
            let second = try await client.customers.create(CustomerFields(name: "Snapshot Two"))
            let last = try await client.changes.bounds().last
            var rows: [SnapshotCustomer] = []
            for try await row in client.changes.snapshot(CustomerQuery(status: .all)) { rows.append(row) }
            #expect(Set(rows.map(\.customer.id)) == [first.id, second.id])
            #expect(rows.allSatisfy { $0.asOf == last })

            let later = try await client.customers.update(id: first.id, CustomerFields(name: "Snapshot One Renamed"))
            var events = client.changes.watch(after: try #require(rows.first).asOf).makeAsyncIterator()
            let next = try #require(try await events.next())
            #expect(next.entityId == later.id && next.action == "updated" && next.sequence == last + 1)
        }
    }

    /// A graceful stop does not wait out its grace period for watches (they never end by
    /// themselves): each ends at once, UNAVAILABLE, naming the cursor to resume after.
    @Test func aGracefulStopEndsAWatchNamingTheCursorToResumeAfter() async throws {
        let server = try await onThread { try TestServer() }
        let client = server.client()
        defer { client.close() }
        try await server.withTimeLimit(#function) {
            let created = try await client.customers.create(CustomerFields(name: "Before the stop"))
            var events = client.changes.watch(after: 0).makeAsyncIterator()
            var last: Int64 = 0
            while let event = try await events.next() {
                last = event.sequence
                if event.entityId == created.id && event.kind == .customer { break }
            }
            let stopping = Task { await onThread { server.stop() } }
            let error = await outcome { while try await events.next() != nil {} }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("resume after sequence \(last)") == true, "\(String(describing: error))")
            await stopping.value
        }
    }

    /// A watcher that stops reading holds up neither the writers nor the server's memory: the
    /// server stops at the client's small window, the writes all commit, and once the watcher reads
    /// again it gets every event, in order, once.
    @Test func aConsumerThatDoesNotReadSlowsNoWriterAndLosesNothing() async throws {
        try await withServer { server, client in
            var configuration = ClientConfiguration()
            configuration.initialStreamWindow = 4096
            let watcher = CustomerClient(socketPath: server.socketPath, configuration: configuration)
            defer { watcher.close() }
            let start = try await client.changes.bounds().last
            let first = try await client.customers.create(CustomerFields(name: "Before"))
            var events = watcher.changes.watch(after: start).makeAsyncIterator()
            #expect(try await events.next()?.entityId == first.id)

            var created: [Int64] = []
            for index in 0..<300 {
                created.append(try await client.customers.create(CustomerFields(name: "Unread \(index)")).id)
            }
            var delivered: [Int64] = []
            while delivered.count < created.count, let event = try await events.next() {
                if event.action == "created" { delivered.append(event.entityId) }
            }
            #expect(delivered == created)
        }
    }
}

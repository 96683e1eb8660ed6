import CustomerClient
import Foundation
import TestSupport
import Testing

/// An own-scope watcher is told when a customer of its own leaves it (feed26): handed to a
/// colleague, erased without records, merged into another customer. It sees each event recorded
/// while the customer was its own (the hand-off, the tombstone, the merged event) and nothing after.
/// This process is `tester`, a Consultant (scope own) and a trusted service: it writes as the
/// administrator by acting for `boss`, and watches as itself or as a second Consultant.
@Suite struct ChangeFeedDepartureTests {
    static let asBoss = CallOptions.acting(for: PermissionSeed.boss)
    static let otherConsultant = "consultant2"

    /// The three customers that leave `tester`, and the marker created for it after they left.
    struct Departures {
        var handed: Int64
        var erased: Int64
        var absorbed: Int64
        var marker: Int64 = 0
        var all: Set<Int64> { [handed, erased, absorbed] }
    }

    /// Creates the three customers of `tester` (as the administrator).
    static func createDepartures(_ client: CustomerClient) async throws -> Departures {
        func create(_ name: String) async throws -> Int64 {
            try await client.customers.create(CustomerFields(name: name, accountManager: PermissionSeed.me), options: asBoss).id
        }
        return Departures(handed: try await create("Handed Oy"), erased: try await create("Erased Oy"),
                          absorbed: try await create("Absorbed Oy"))
    }

    /// Hands one on, erases one, merges one into the colleague's customer; then renames the handed
    /// one (no longer `tester`'s) and creates the marker for `tester`.
    static func makeThemLeave(_ client: CustomerClient, _ departures: inout Departures, keep: Int64) async throws {
        _ = try await client.customers.update(id: departures.handed, CustomerFields(accountManager: PermissionSeed.colleague),
                                              options: asBoss)
        try await client.customers.delete(id: departures.erased, confirm: true, options: asBoss)
        _ = try await client.customers.merge(keep: keep, absorb: departures.absorbed, options: asBoss)
        _ = try await client.customers.update(id: departures.handed, CustomerFields(name: "Handed On Oy"), options: asBoss)
        departures.marker = try await client.customers.create(
            CustomerFields(name: "Marker Oy", accountManager: PermissionSeed.me), options: asBoss).id
    }

    /// The actions of the events of each customer of `departures` in `events`, by customer.
    static func actions(_ events: [ChangeEvent], of departures: Departures) -> [Int64: [String]] {
        var actions: [Int64: [String]] = [:]
        for event in events where event.kind == .customer && departures.all.contains(event.customerId) {
            actions[event.customerId, default: []].append(event.action + (event.tombstone ? " (tombstone)" : ""))
        }
        return actions
    }

    /// The events `stream` sends up to and including `marker`'s creation.
    static func events(until marker: Int64, from stream: ServerStreamResponse<ChangeEvent>) async throws -> [ChangeEvent] {
        var events: [ChangeEvent] = []
        for try await event in stream {
            events.append(event)
            if event.kind == .customer, event.customerId == marker, event.action == "created" { break }
        }
        return events
    }

    @Test func anOwnScopeWatcherIsToldItsCustomersLeftLiveAndFromTheStart() async throws {
        try await withPermissionServer(profile: BuiltIn.consultant.rawValue, trusted: true) { fixture in
            let client = fixture.client
            var departures = try await Self.createDepartures(client)
            // Live: the watch has caught up (the warm-up customer came) before anything leaves.
            let warmUp = try await client.customers.create(
                CustomerFields(name: "Warm-up Oy", accountManager: PermissionSeed.me), options: Self.asBoss).id
            let start = try await client.changes.bounds().last
            var live = client.changes.watch(after: start - 1).makeAsyncIterator()
            let first = try #require(try await live.next())
            #expect(first.customerId == warmUp && first.action == "created")

            try await Self.makeThemLeave(client, &departures, keep: fixture.seed.otherCustomer)
            var liveEvents: [ChangeEvent] = []
            while let event = try await live.next() {
                liveEvents.append(event)
                if event.customerId == departures.marker && event.action == "created" { break }
            }
            let expected: [Int64: [String]] = [departures.handed: ["updated"], departures.erased: ["deleted (tombstone)"],
                                               departures.absorbed: ["merged"]]
            #expect(Self.actions(liveEvents, of: departures) == expected)
            // The hand-off tells who has it now; nothing recorded after (the rename) came.
            let handOff = liveEvents.first { $0.customerId == departures.handed }
            #expect(handOff?.changes.map(\.field) == ["accountManager"])
            #expect(!liveEvents.flatMap(\.changes).contains { $0.newValue == "Handed On Oy" })
            #expect(liveEvents.last?.customerId == departures.marker)

            // After the fact, from the start: their whole time as its customers, and nothing after.
            let fromStart = try await Self.events(until: departures.marker, from: client.changes.watch(after: 0))
            #expect(Self.actions(fromStart, of: departures) == [
                departures.handed: ["created", "updated"], departures.erased: ["created", "deleted (tombstone)"],
                departures.absorbed: ["created", "merged"],
            ])
            #expect(!fromStart.flatMap(\.changes).contains { $0.newValue == "Handed On Oy" })
            // Still its own scope: nothing of the colleague's customer the absorbed one went into.
            #expect(!fromStart.contains { $0.customerId == fixture.seed.otherCustomer })
        }
    }

    @Test func anotherConsultantIsToldNothingOfThem() async throws {
        try await withPermissionServer(profile: BuiltIn.consultant.rawValue, trusted: true) { fixture in
            let client = fixture.client
            _ = try await client.users.add(uid: PermissionSeeder.uid(4302), name: Self.otherConsultant,
                                           profile: BuiltIn.consultant.rawValue, options: Self.asBoss)
            var departures = try await Self.createDepartures(client)
            try await Self.makeThemLeave(client, &departures, keep: fixture.seed.otherCustomer)
            let itsOwn = try await client.customers.create(
                CustomerFields(name: "Its Own Oy", accountManager: Self.otherConsultant), options: Self.asBoss).id
            let asOther = CallOptions.acting(for: Self.otherConsultant)
            let events = try await Self.events(until: itsOwn, from: client.changes.watch(after: 0, options: asOther))
            #expect(Set(events.map(\.customerId)) == [itsOwn])
        }
    }
}

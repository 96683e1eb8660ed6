import CustomerClient
import CustomerStore
import Foundation
import Testing

/// A timestamp off the wire is any binary64: one outside 0001-01-01 ... 9999-12-31 (NaN, infinities,
/// 1e300) once killed the server with SIGILL converting to stored milliseconds. Now it is refused
/// INVALID_ARGUMENT naming the field, nothing changes, and the server keeps serving.
@Suite struct TimestampRangeTests {
    /// Seconds since 2001-01-01 as the wire carries them, each just outside or far outside the range.
    static let outOfRange: [Double] = [
        .nan, 1e300, -1e300, .infinity, -.infinity,
        TimestampRange.latest.timeIntervalSinceReferenceDate + 0.001,
        TimestampRange.earliest.timeIntervalSinceReferenceDate - 0.001,
    ]

    @Test func aReadOnlyUsersListingWithAnOutOfRangeChangedSinceIsRefusedByFieldAndTheServerKeepsServing() async throws {
        try await withPermissionServer(profile: BuiltIn.readOnly.rawValue) { fixture in
            let customers = fixture.client.customers
            for seconds in Self.outOfRange {
                let query = CustomerQuery(status: .all, changedSince: Date(timeIntervalSinceReferenceDate: seconds))
                let refused = await outcome { _ = try await customers.list(query) }
                #expect(refused?.code == .invalidArgument, "changedSince \(seconds)")
                #expect(refused?.details.map(\.field) == ["query.changedSince"], "changedSince \(seconds)")
                let streamed = await outcome { for try await _ in customers.stream(query) {} }
                #expect(streamed?.details.map(\.field) == ["query.changedSince"], "streamed, changedSince \(seconds)")
            }
            // Both ends of the range are accepted, and the server still answers everyone.
            let all = try await customers.list(CustomerQuery(status: .all, changedSince: TimestampRange.earliest))
            #expect(all.customers.contains { $0.id == fixture.seed.ownCustomer })
            #expect(try await customers.list(CustomerQuery(status: .all, changedSince: TimestampRange.latest)).customers.isEmpty)
            #expect(try await fixture.client.server.health() == .serving)
        }
    }

    @Test func aTaskDueOrAnEventOutsideTheRangeIsRefusedByFieldAndChangesNothing() async throws {
        try await withPermissionServer(profile: BuiltIn.administrator.rawValue) { fixture in
            let activities = fixture.client.activities
            let customer = fixture.seed.ownCustomer
            let before = try fixture.snapshot()
            for seconds in Self.outOfRange {
                let date = Date(timeIntervalSinceReferenceDate: seconds)
                let task = await outcome { _ = try await activities.task(customerID: customer, "Call back", due: date) }
                #expect(task?.code == .invalidArgument, "dueDate \(seconds)")
                #expect(task?.details.map(\.field) == ["dueDate"], "dueDate \(seconds)")
                let event = await outcome {
                    _ = try await activities.event(customerID: customer, "Visit", from: date, to: date)
                }
                #expect(event?.details.map(\.field) == ["startsAt", "endsAt"], "startsAt, endsAt \(seconds)")
            }
            #expect(try fixture.snapshot().changedTables(comparedTo: before) == [])
            // The last instant of the range is stored and read back to the millisecond.
            let task = try await activities.task(customerID: customer, "Far away", due: TimestampRange.latest)
            #expect(task.dueDate == TimestampRange.latest)
            let event = try await activities.event(
                customerID: customer, "Long ago", from: TimestampRange.earliest, to: TimestampRange.earliest)
            #expect(event.startsAt == TimestampRange.earliest)
        }
    }

    /// A due date comes back as the millisecond it was stored as, to the bit: the binary64 nearest
    /// to that millisecond in seconds since 2001, what a client computes from what it sent (found by
    /// contrib/conformance/c: 1.0006 s came back as 1.0010000467, not 1.001).
    @Test func aTaskDueAtAMillisecondComesBackAsThatMillisecondToTheBit() async throws {
        try await withPermissionServer(profile: BuiltIn.administrator.rawValue) { fixture in
            let sentAndStored: [(sent: Double, stored: Double)] = [
                (1.0006, 1.001), (1.0004, 1), (700_000_000.123, 700_000_000.123), (-0.001, -0.001),
                (-978_307_200.001, -978_307_200.001), (0.1, 0.1),
            ]
            for (sent, stored) in sentAndStored {
                let task = try await fixture.client.activities.task(
                    customerID: fixture.seed.ownCustomer, "Due", due: Date(timeIntervalSinceReferenceDate: sent))
                let back = try #require(task.dueDate).timeIntervalSinceReferenceDate
                #expect(back.bitPattern == stored.bitPattern, "sent \(sent), read back \(back), stored as \(stored)")
            }
        }
    }
}

import CustomerClient
import Foundation
import Testing

/// A watch lives for days; its caller's profile may change meanwhile (docs/HARDENING.md). The
/// server checks the caller again before each page it sends, through a real server and socket.
@Suite struct ChangeFeedRecheckTests {
    /// An administrator demoted to own scope while watching: the next page is not sent; the watch
    /// ends PERMISSION_DENIED, naming the sequence to resume after.
    @Test func aWatcherDemotedWhileWatchingStopsReceivingAndIsToldWhy() async throws {
        try await withPermissionServer(profile: BuiltIn.administrator.rawValue) { fixture in
            let client = fixture.client
            let before = try await client.customers.create(CustomerFields(name: "Before Demotion Oy", accountManager: PermissionSeed.me))
            var events = client.changes.watch(after: 0).makeAsyncIterator()
            var last: Int64 = 0
            while let event = try await events.next() {
                last = event.sequence
                if event.kind == .customer && event.entityId == before.id { break }
            }
            _ = try await client.users.setProfile(user: PermissionSeed.me, profile: BuiltIn.consultant.rawValue)
            let after = try await client.customers.create(CustomerFields(name: "After Demotion Oy", accountManager: PermissionSeed.me))

            var received: ChangeEvent?
            let error = await outcome { received = try await events.next() }
            #expect(received == nil, "an event after the demotion arrived: \(String(describing: received)), \(after.id)")
            #expect(error?.code == .permissionDenied)
            #expect(error?.message.contains("shows less than when the call started") == true, "\(String(describing: error))")
            #expect(error?.message.contains("the watch ended after sequence \(last)") == true, "\(String(describing: error))")
            // The demoted user can watch again, under its new profile.
            var again = client.changes.watch(after: last).makeAsyncIterator()
            let next = try #require(try await again.next())
            #expect(next.customerId == after.id)
        }
    }
}

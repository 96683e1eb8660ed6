import CustomerClient
import Foundation
import Testing

/// Administrators manage profiles and users; every change holds from the next call on.
@Suite struct ProfileAdministrationTests {
    @Test func whoAmIShowsTheProfileAndItsRights() async throws {
        try await withPermissionServer(profile: BuiltIn.readOnly.rawValue) { fixture in
            let me = try await fixture.client.users.whoAmI()
            #expect(me.name == PermissionSeed.me && me.profile == "Read only" && !me.isAdministrator)
            #expect(me.rights == Rights(readCustomers: .all))
            #expect(me.trustedService == false && me.actingService == nil)
        }
    }

    @Test func profilesAreCreatedChangedListedAndShown() async throws {
        try await withPermissionServer(profile: BuiltIn.administrator.rawValue) { fixture in
            let profiles = fixture.client.profiles
            #expect(try await profiles.list().map(\.name) == ["Administrator", "Consultant", PermissionSeed.customProfile,
                                                               "Read only", "Sales"])
            let created = try await profiles.create(name: "Auditor", rights: Rights(readCustomers: .all, financialFigures: true))
            #expect(!created.builtIn && created.version == 1)
            let updated = try await profiles.update(
                name: "auditor", newName: "Auditors", rights: RightsChanges(manageContacts: true), expectedVersion: 1)
            #expect(updated.name == "Auditors" && updated.version == 2)
            #expect(updated.rights == Rights(readCustomers: .all, financialFigures: true, manageContacts: true))
            #expect(try await profiles.get(name: "AUDITORS") == updated)
            let sales = try await profiles.get(name: "Sales")
            #expect(sales.builtIn && sales.rights == Rights(readCustomers: .all, editCustomers: .own, financialFigures: true,
                                                            manageContacts: true))

            let failures: [(StatusCode, String?, @Sendable () async throws -> Void)] = [
                (.alreadyExists, "name", { _ = try await profiles.create(name: "SALES", rights: Rights()) }),
                (.invalidArgument, "rights.editCustomers", {
                    _ = try await profiles.create(name: "Odd", rights: Rights(readCustomers: .own, editCustomers: .all))
                }),
                (.aborted, nil, { _ = try await profiles.update(name: "Auditors", expectedVersion: 1) }),
                (.notFound, nil, { _ = try await profiles.get(name: "Nobody") }),
            ]
            for (code, field, call) in failures {
                let error = await outcome(of: call)
                #expect(error?.code == code, "\(String(describing: error))")
                if let field { #expect(error?.details.map(\.field) == [field]) }
            }
        }
    }

    @Test func aChangedProfileOrUserHoldsFromTheNextCall() async throws {
        try await withPermissionServer(profile: BuiltIn.administrator.rawValue) { fixture in
            let client = fixture.client
            #expect(try await client.users.whoAmI().rights?.financialFigures == true)
            _ = try await client.profiles.update(name: "Administrator", rights: RightsChanges(financialFigures: false))
            #expect(try await client.users.whoAmI().rights?.financialFigures == false)

            let added = try await client.users.add(uid: PermissionSeeder.uid(7001), name: "dora", profile: "Consultant")
            #expect(added.profile == "Consultant" && added.rights?.readCustomers == .own)
            let defaulted = try await client.users.add(uid: PermissionSeeder.uid(7002), name: "eve")
            #expect(defaulted.profile == "Read only")

            _ = try await client.users.setProfile(user: PermissionSeed.me, profile: "Sales")
            let error = await outcome { _ = try await client.users.list() }
            #expect(error?.code == .permissionDenied)
        }
    }

    /// The server caches callers per connection thread: a change made on one connection must
    /// hold on the next call of another that resolved (and cached) the same user before it.
    @Test func aChangeHoldsFromTheNextCallOnEveryConnection() async throws {
        try await withPermissionServer(profile: BuiltIn.administrator.rawValue) { fixture in
            let other = fixture.server.client()
            defer { other.close() }
            #expect(try await other.users.whoAmI().rights?.financialFigures == true)
            #expect(try await other.users.list().isEmpty == false)
            _ = try await fixture.client.profiles.update(name: "Administrator", rights: RightsChanges(financialFigures: false))
            #expect(try await other.users.whoAmI().rights?.financialFigures == false)

            _ = try await fixture.client.users.setProfile(user: PermissionSeed.me, profile: "Sales")
            let error = await outcome { _ = try await other.users.list() }
            #expect(error?.code == .permissionDenied)
        }
    }

    @Test func theLastActiveAdministratorStays() async throws {
        try await withPermissionServer(profile: BuiltIn.administrator.rawValue) { fixture in
            let client = fixture.client
            _ = try await client.users.setProfile(user: PermissionSeed.boss, profile: "Read only")
            let before = try fixture.snapshot()
            for call: @Sendable () async throws -> Void in [
                { _ = try await client.users.setProfile(user: PermissionSeed.me, profile: "Sales") },
                { _ = try await client.users.deactivate(user: PermissionSeed.me) },
                { _ = try await client.profiles.update(name: "Administrator", rights: RightsChanges(administration: false)) },
            ] {
                let error = await outcome(of: call)
                #expect(error?.code == .failedPrecondition)
                #expect(error?.message.contains("no active user with the Administration right") == true)
            }
            #expect(try fixture.snapshot() == before)
            // With another administrator, this one may go, and is refused at the socket from then on.
            _ = try await client.users.setProfile(user: PermissionSeed.boss, profile: "Administrator")
            #expect(try await client.users.deactivate(user: PermissionSeed.me).active == false)
            #expect(await outcome { _ = try await client.users.whoAmI() }?.code == .unauthenticated)
        }
    }
}

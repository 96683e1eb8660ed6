import TestSupport
import Foundation
import Testing
@testable import CustomerStore

/// A user row as the code before permission profiles wrote it, for databases of older schema
/// versions (today's `addUser` needs the profiles table). Returns the user's id.
@discardableResult
func insertLegacyUser(_ store: CustomerStore, uid: UInt32, name: String, isAdministrator: Bool) throws -> Int64 {
    try store.write { connection in
        try connection.run("INSERT INTO users (uid, name, is_administrator, active, created_at) VALUES (?, ?, ?, 1, 0)",
                           [.integer(Int64(uid)), .text(name), .integer(isAdministrator ? 1 : 0)])
        return connection.lastInsertRowID
    }
}

@Suite struct PermissionProfileTests {
    static let builtIns: [(String, BuiltInProfile, PermissionRights)] = [
        ("Administrator", .administrator, .everything),
        ("Consultant", .consultant, PermissionRights(readCustomers: .own, editCustomers: .own)),
        ("Read only", .readOnly, PermissionRights(readCustomers: .all)),
        ("Sales", .sales, PermissionRights(readCustomers: .all, editCustomers: .own, financialFigures: true,
                                           manageContacts: true)),
    ]

    @Test func theFourBuiltInProfilesExistWithTheirRights() throws {
        let fixture = try Fixture()
        let profiles = try fixture.store.profiles()
        #expect(profiles.map(\.name) == Self.builtIns.map(\.0))
        for (profile, (_, builtIn, rights)) in zip(profiles, Self.builtIns) {
            #expect(profile.builtIn == builtIn)
            #expect(profile.rights == rights, "\(profile.name)")
            #expect(profile.version == 1)
        }
        #expect(fixture.admin.profile.name == "Administrator" && fixture.admin.isAdministrator)
        #expect(fixture.other.profile.name == "Read only" && fixture.other.rights == PermissionRights(readCustomers: .all))
    }

    @Test func migrationGivesAdministratorsTheAdministratorProfileAndEveryoneElseReadOnly() throws {
        let directory = try TemporaryDirectory()
        var old = StoreOptions()
        old.migrateUpTo = Migrations.permissionProfiles.version - 1
        do {
            let store = try CustomerStore(path: directory.databasePath, options: old)
            try insertLegacyUser(store, uid: 1, name: "ada", isAdministrator: true)
            try insertLegacyUser(store, uid: 2, name: "bo", isAdministrator: false)
            store.close()
        }
        let store = try CustomerStore(path: directory.databasePath)
        defer { store.close() }
        #expect(try store.user(uid: 1)?.profile.name == "Administrator")
        #expect(try store.user(uid: 1)?.rights == .everything)
        #expect(try store.user(uid: 2)?.profile.name == "Read only")
        #expect(try store.user(uid: 2)?.isAdministrator == false)
        // A row written without a profile (older code paths) gets one from the schema.
        try insertLegacyUser(store, uid: 3, name: "cy", isAdministrator: false)
        #expect(try store.user(uid: 3)?.profile.name == "Read only")
    }

    @Test func profilesAreCreatedAndChangedPartiallyWithOptimisticConcurrency() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let created = try store.createProfile(name: " Auditor ", rights: PermissionRights(readCustomers: .all,
                                                                                          financialFigures: true))
        #expect(created.name == "Auditor" && created.builtIn == nil && created.version == 1)
        #expect(throws: StoreError.alreadyExists("is already taken by the permission profile 'Auditor' (names are compared as they print: ignoring case, compatibility forms and characters that do not show)", field: "name")) {
            try store.createProfile(name: "auditor", rights: PermissionRights())
        }
        let updated = try store.updateProfile(named: "AUDITOR", ProfileChanges(name: "Auditors", manageContacts: true),
                                              expectedVersion: 1)
        #expect(updated.name == "Auditors" && updated.version == 2)
        #expect(updated.rights == PermissionRights(readCustomers: .all, financialFigures: true, manageContacts: true))
        #expect(storeError { _ = try store.updateProfile(named: "Auditors", ProfileChanges(), expectedVersion: 1) }
                == .aborted("profile \(created.id) was changed by someone else: expected version 1, current version is 2; "
                    + "read it again and retry", field: "expectedVersion"))
        #expect(storeError { _ = try store.updateProfile(named: "nobody", ProfileChanges(), expectedVersion: nil) }
                == .notFound("no permission profile has that name", field: "name"))
        // Built-in profiles are editable, renamed too, and stay built in.
        let sales = try store.updateProfile(named: "Sales", ProfileChanges(name: "Account managers"), expectedVersion: nil)
        #expect(sales.builtIn == .sales)
        #expect(try store.profile(named: "account managers") == sales)
    }

    @Test(arguments: [
        (PermissionRights(readCustomers: .own, editCustomers: .all), ["rights.editCustomers"]),
        (PermissionRights(readCustomers: .none, editCustomers: .own), ["rights.editCustomers"]),
        (PermissionRights(readCustomers: .all, deleteCustomers: true), ["rights.deleteCustomers"]),
    ])
    func contradictoryRightsAreRefusedNamingTheField(_ rights: PermissionRights, _ fields: [String]) throws {
        let fixture = try Fixture()
        #expect(violations { _ = try fixture.store.createProfile(name: "Odd", rights: rights) }?.map(\.field) == fields)
        #expect(violations {
            _ = try fixture.store.updateProfile(
                named: "Read only", ProfileChanges(readCustomers: rights.readCustomers, editCustomers: rights.editCustomers,
                                                   deleteCustomers: rights.deleteCustomers), expectedVersion: nil)
        }?.map(\.field) == fields)
        #expect(try fixture.store.profiles().count == 4)
        #expect(try fixture.store.profile(named: "Read only").version == 1)
    }

    @Test func usersGetProfilesTrustAndDeactivationByName() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let carl = try store.addUser(uid: 1002, name: "carl", profileName: "consultant")
        #expect(carl.profile.name == "Consultant" && carl.rights.readCustomers == .own)
        let moved = try store.setUserProfile(userName: "CARL", profileName: "Sales")
        #expect(moved.rights.editCustomers == .own && moved.rights.financialFigures)
        #expect(try store.setTrustedService(userName: "carl", true).trustedService)
        #expect(try store.setUserActive(userName: "carl", false).active == false)
        #expect(try store.user(uid: 1002) == Optional(moved.with { $0.trustedService = true; $0.active = false }))
        #expect(violations { _ = try store.addUser(uid: 1003, name: "dan", profileName: "Nope") }?.map(\.field) == ["profile"])
        #expect(storeError { _ = try store.setUserProfile(userName: "nobody", profileName: "Sales") }
                == .notFound("no user has that name or id", field: "user"))
        // A profile's change reaches its users at once.
        _ = try store.updateProfile(named: "Sales", ProfileChanges(financialFigures: false), expectedVersion: nil)
        #expect(try store.user(uid: 1002)?.rights.financialFigures == false)
    }

    @Test func theLastActiveAdministratorCannotBeTakenAway() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let before = try store.snapshot()
        let lockout = StoreError.failedPrecondition(
            "the change would leave no active user with the Administration right; give it to someone else first",
            field: "user")
        #expect(storeError { _ = try store.setUserProfile(userName: "alice", profileName: "Sales") } == lockout)
        #expect(storeError { _ = try store.setUserActive(userName: "alice", false) } == lockout)
        #expect(storeError {
            _ = try store.updateProfile(named: "Administrator", ProfileChanges(administration: false), expectedVersion: nil)
        } == StoreError.failedPrecondition(
            "the change would leave no active user with the Administration right; give it to someone else first",
            field: "rights.administration"))
        #expect(try store.snapshot() == before)
        // With a second administrator the first may go.
        _ = try store.setUserProfile(userName: "bob", profileName: "Administrator")
        #expect(try store.setUserActive(userName: "alice", false).active == false)
    }

    @Test func ownershipFindsTheCustomerAndItsAccountManagerOfEveryRecord() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try store.createCustomer(NewCustomer(name: "Owned Oy", accountManagerID: fixture.other.id),
                                                by: .user(fixture.admin.id))
        let address = try store.addAddress(customerID: customer.id, StoredAddressFields(city: "Turku", country: "FI"),
                                           by: .user(fixture.admin.id))
        let second = try store.addAddress(customerID: customer.id, StoredAddressFields(city: "Pori", country: "FI"),
                                          by: .user(fixture.admin.id))
        let contact = try store.createContact(customerID: customer.id, StoredContactFields(lastName: "Nieminen"), keywords: [],
                                              roles: [], by: .user(fixture.admin.id))
        let note = try store.addNote(customerID: customer.id, text: "Hello", contactID: nil, by: .user(fixture.admin.id))
        let owned = CustomerOwnership(customerID: customer.id, accountManagerID: fixture.other.id)
        let records: [OwnedRecord] = [
            .customer(id: customer.id), .customerNumber(customer.number), .address(id: address.id),
            .contact(id: contact.id), .activity(id: note.id), .history(.customer, id: customer.id),
            .history(.contact, id: contact.id),
            // Looked up by number earlier: the owner follows the id, whatever number it has now.
            .customerNumbered(customer.number + 1, id: customer.id),
        ]
        for record in records {
            #expect(try store.ownership(of: record) == owned, "\(record)")
        }
        // A removed address is still found through its history; unknown records are nil.
        _ = try store.removeAddress(id: second.id, by: .user(fixture.admin.id))
        #expect(try store.ownership(of: .history(.address, id: second.id)) == owned)
        for missing: OwnedRecord in [.customer(id: 999), .customerNumber(1), .address(id: 999), .contact(id: 999),
                                     .activity(id: 999), .history(.address, id: 999)] {
            #expect(try store.ownership(of: missing) == nil, "\(missing)")
        }
    }

    @Test func historyNamesTheServiceAWriteWasMadeThrough() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let service = try store.addUser(uid: 1500, name: "web")
        // Only a trusted service acts for someone: the writer holds its writes to that (standing22).
        _ = try store.setTrustedService(userName: "web", true)
        let direct = try store.createCustomer(NewCustomer(name: "Direct"), by: .user(fixture.other.id))
        let viaService = try store.createCustomer(NewCustomer(name: "Through the web"),
                                                  by: Author(userID: fixture.other.id, via: service.id))
        let directEntry = try #require(try store.history(.customer, id: direct.id).first)
        #expect(directEntry.by == fixture.other.ref && directEntry.via == nil)
        let serviceEntry = try #require(try store.history(.customer, id: viaService.id).first)
        #expect(serviceEntry.by == fixture.other.ref && serviceEntry.via == service.ref)
        #expect(try store.customer(id: viaService.id).createdBy == fixture.other.ref)
    }

    @Test func theMailingListCanBeRestrictedToOneAccountManager() throws {
        let fixture = try Fixture()
        let store = fixture.store
        _ = try store.createLabel(.keyword, name: "news")
        var expected: [Int64] = []
        for (index, manager) in [fixture.admin.id, fixture.other.id, fixture.other.id].enumerated() {
            let customer = try store.createCustomer(NewCustomer(name: "Customer \(index)", accountManagerID: manager),
                                                    by: .user(fixture.admin.id))
            let contact = try store.createContact(customerID: customer.id, StoredContactFields(lastName: "P\(index)"),
                                                  keywords: ["news"], roles: [], by: .user(fixture.admin.id))
            if manager == fixture.other.id { expected.append(contact.id) }
        }
        var own: [Int64] = []
        try store.mailingList(keyword: "news", role: nil, accountManagerID: fixture.other.id, osUser: nil) { own.append($0.contactID) }
        #expect(own == expected)
        var all = 0
        try store.mailingList(keyword: "news", role: nil, osUser: nil) { _ in all += 1 }
        #expect(all == 3)
    }

    @Test func snapshotsAreEqualUntilARowChangesAndNameTheTable() throws {
        let fixture = try Fixture()
        let before = try fixture.store.snapshot()
        #expect(before.tables["permission_profiles"]?.count == 4)
        #expect(try fixture.store.snapshot() == before)
        _ = try fixture.store.createLabel(.role, name: "buyer")
        #expect(try fixture.store.snapshot().changedTables(comparedTo: before) == ["labels"])
    }
}

extension StoredUser {
    /// A copy changed by `change`.
    func with(_ change: (inout StoredUser) -> Void) -> StoredUser {
        var copy = self
        change(&copy)
        return copy
    }
}

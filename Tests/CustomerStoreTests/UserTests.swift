import TestSupport
import Foundation
import Testing
@testable import CustomerStore

@Suite struct UserTests {
    @Test func bootstrapCreatesAdministratorsOnceOnly() throws {
        let directory = try TemporaryDirectory()
        let store = try CustomerStore(path: directory.databasePath)
        let created = try store.bootstrap(administrators: [(uid: 1000, name: "alice"), (uid: 0, name: "root")])
        #expect(created.map(\.uid) == [1000, 0])
        #expect(created.allSatisfy { $0.isAdministrator && $0.active })

        #expect(try store.bootstrap(administrators: [(uid: 1000, name: "alice"), (uid: 0, name: "root")]).isEmpty)
        #expect(try store.bootstrap(administrators: [(uid: 5, name: "mallory")]).isEmpty)
        #expect(try store.listUsers() == created.sorted { $0.name < $1.name })
    }

    @Test func bootstrapAsRootRegistersRootOnce() throws {
        let directory = try TemporaryDirectory()
        let store = try CustomerStore(path: directory.databasePath)
        let created = try store.bootstrap(administrators: [(uid: 0, name: "root"), (uid: 0, name: "root")])
        #expect(created.map(\.name) == ["root"])
    }

    @Test func lookupsByUIDIdAndName() throws {
        let fixture = try Fixture()
        #expect(try fixture.store.user(uid: 1001) == fixture.other)
        #expect(try fixture.store.user(id: fixture.other.id) == fixture.other)
        #expect(try fixture.store.user(name: " BOB ") == fixture.other)
        #expect(try fixture.store.user(uid: 4_000_000_000) == nil)
        #expect(try fixture.store.user(name: "nobody") == nil)
        #expect(fixture.admin.isAdministrator && !fixture.other.isAdministrator)
    }

    @Test func takenUIDOrNameIsAlreadyExistsNamingTheField() throws {
        let fixture = try Fixture()
        #expect(throws: StoreError.alreadyExists("is already taken", field: "uid")) {
            try fixture.store.addUser(uid: 1000, name: "someone")
        }
        #expect(throws: StoreError.alreadyExists("is already taken by the user 'alice' (names are compared as they print: ignoring case, compatibility forms and characters that do not show)", field: "name")) {
            try fixture.store.addUser(uid: 2000, name: "Alice")
        }
        let big = try fixture.store.addUser(uid: UInt32.max - 1, name: "  max  ")
        #expect(big.uid == UInt32.max - 1 && big.name == "max")
        // (uid_t) -1 is no process's uid: a user with it could never connect.
        let error = #expect(throws: StoreError.self) { try fixture.store.addUser(uid: UInt32.max, name: "never") }
        #expect(error.map { "\($0)" }?.contains("uid: must not be 4294967295") == true, "\(String(describing: error))")
        // The overflow uid is every process whose uid is not mapped into the server's namespace.
        let adds: [() throws -> StoredUser] = [{ try fixture.store.addUser(uid: 65534, name: "nobody") },
                                               { try fixture.store.addUser(uid: 65534, name: "nobody", profileName: "Read only") }]
        for add in adds {
            let overflow = #expect(throws: StoreError.self) { try add() }
            #expect(overflow.map { "\($0)" }?.contains("uid: must not be 65534, the kernel's overflow uid") == true,
                    "\(String(describing: overflow))")
        }
        #expect(try fixture.store.listUsers().count == 3)
    }

    @Test(arguments: ["", "   ", String(repeating: "n", count: 65)])
    func invalidUserNameIsRefused(_ name: String) throws {
        let fixture = try Fixture()
        #expect(violations { try fixture.store.addUser(uid: 3000, name: name) }?.map(\.field) == ["name"])
        #expect(try fixture.store.user(uid: 3000) == nil)
    }
}

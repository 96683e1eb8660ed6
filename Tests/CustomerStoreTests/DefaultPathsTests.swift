import TestSupport
import Foundation
import Testing
@testable import CustomerStore

@Suite struct DefaultPathsTests {
    static let fallback = DefaultPaths.fallbackDirectory()

    @Test(arguments: [
        (["CUSTOMER_DATABASE": "/srv/c.sqlite", "XDG_DATA_HOME": "/x"], "/srv/c.sqlite"),
        (["XDG_DATA_HOME": "/data", "HOME": "/home/u"], "/data/customercard/customers.sqlite"),
        (["XDG_DATA_HOME": "relative", "HOME": "/home/u"], "/home/u/.local/share/customercard/customers.sqlite"),
        (["XDG_DATA_HOME": "", "HOME": "/home/u", "CUSTOMER_DATABASE": ""], "/home/u/.local/share/customercard/customers.sqlite"),
        ([:], "\(fallback)/customers.sqlite"),
    ])
    func databasePath(_ environment: [String: String], _ expected: String) {
        #expect(DefaultPaths.database(environment: environment) == expected)
    }

    @Test func fallbackIsPerUser() {
        #expect(Self.fallback == "/tmp/customercard-\(getuid())")
    }

    @Test func parentDirectoriesAreCreatedOwnerOnly() throws {
        let directory = try TemporaryDirectory()
        let file = directory.path("a/b/customers.sqlite")
        try DefaultPaths.ensureParentDirectory(of: file)
        try DefaultPaths.ensureParentDirectory(of: file)
        for created in [directory.path("a"), directory.path("a/b")] {
            let attributes = try FileManager.default.attributesOfItem(atPath: created)
            #expect((attributes[.posixPermissions] as? Int) == 0o700)
        }
        let store = try CustomerStore(path: file)
        store.close()
        #expect(FileManager.default.fileExists(atPath: file))
    }

    @Test func parentThatIsAFileIsRefused() throws {
        let directory = try TemporaryDirectory()
        #expect(FileManager.default.createFile(atPath: directory.path("plain"), contents: Data()))
        #expect(throws: StoreError.self) { try DefaultPaths.ensureParentDirectory(of: directory.path("plain/x.sqlite")) }
    }
}

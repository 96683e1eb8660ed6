import CustomerClient
import Foundation
import Glibc
import ServiceLog
import TestSupport
import Testing

/// The directories above the database's, and the database's place while the server runs (caps21):
/// a writer of a parent could rename the database's directory away and put its own in its place,
/// so customerd refuses such a parent at start (sticky ones aside, as /tmp), and logs `critical`
/// once when the directory, a parent or the files are given to another user or opened to others
/// while it runs.
@Suite struct DatabaseParentSafetyTests {
    @Test func aParentOfTheDatabasesDirectoryOthersMayWriteToIsRefusedUnlessSticky() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let shared = root.appendingPathComponent("shared").path
        let data = shared + "/data"
        #expect(mkdir(shared, 0o700) == 0 && mkdir(data, 0o700) == 0 && chmod(shared, 0o777) == 0)
        let result = try await refusedStart(["--socket", root.path + "/d.sock", "--database", data + "/c.sqlite"])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("the database \(data)/c.sqlite is unsafe: the directory \(shared) above its directory has "
                                       + "mode 777 (not sticky): group or others may rename the database's directory away"),
                "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: data).isEmpty)

        // Sticky, as /tmp: others may add names of their own there but not rename this user's.
        #expect(chmod(shared, 0o1777) == 0)
        try await withTestServer(start: { try TestServer(directory: URL(fileURLWithPath: data)) }, stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            let health = try await client.server.health()
            #expect(health == .serving)
        }
    }

    @Test(.enabled(if: getuid() == 0, "needs root to give a directory to another owner"))
    func aParentOfTheDatabasesDirectoryOfAnotherUserIsRefused() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let foreign = root.appendingPathComponent("foreign").path
        let data = foreign + "/data"
        #expect(mkdir(foreign, 0o755) == 0 && mkdir(data, 0o700) == 0 && chown(foreign, 4249, 4249) == 0)
        let result = try await refusedStart(["--socket", root.path + "/d.sock", "--database", data + "/c.sqlite"])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("the directory \(foreign) above its directory belongs to uid 4249"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: data).isEmpty)
    }

    /// What start-up refuses, done while the server runs: each logged `critical` once, and a
    /// `notice` once mended; the server goes on serving.
    @Test func theDatabasesPlaceOpenedToOthersWhileRunningIsLoggedOnce() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        #expect(mkdir(data.path, 0o700) == 0)
        let log = LogCapture(label: "test-customerd", level: .notice)
        try await withTestServer(start: { try TestServer(directory: data, logger: log.logger) }, stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            let database = server.databasePath
            func waitForLine(_ text: String) async throws {
                try await waitUntil("a log line saying '\(text)'") { log.all.contains { $0.contains(text) } }
            }
            func mended(_ times: Int) async throws {
                try await waitUntil("\(times) lines saying the database's place is mended") {
                    log.all.filter { $0.contains("the database's directory and files are the server's user's alone again") }.count == times
                }
            }

            #expect(chmod(root.path, 0o777) == 0)
            try await waitForLine("the directory \(root.path) above its directory has mode 777")
            #expect(chmod(root.path, 0o700) == 0)
            try await mended(1)
            #expect(chmod(database, 0o644) == 0)
            try await waitForLine("\(database) now has mode 644")
            #expect(chmod(database, 0o600) == 0)
            try await mended(2)
            #expect(chmod(data.path, 0o775) == 0)
            try await waitForLine("its directory \(data.path) has mode 775")
            #expect(chmod(data.path, 0o700) == 0)
            try await mended(3)

            #expect(try await client.server.health() == .serving)
            _ = try await client.customers.create(CustomerFields(name: "Still Served Oy"))
            #expect(log.all.filter { $0.contains("above its directory has mode 777") }.count == 1, "\(log.all)")
            #expect(log.all.filter { $0.contains("could now be read or swapped by another user") }.count == 3, "\(log.all)")
        }
    }
}

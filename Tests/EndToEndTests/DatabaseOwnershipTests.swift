import CommandLineKit
import CustomerClient
import Foundation
import Glibc
import Hashing
import TestSupport
import Testing

/// One server per database, its files for its user alone, and a database that cannot be served
/// refused at start rather than failing call by call.
@Suite struct DatabaseOwnershipTests {
    @Test func aSecondServerOnTheSameDatabaseExitsNamingTheOwnerAndLeavesItsUploadsAlone() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let database = root.path + "/customers.sqlite"
        let first = try startDaemon(socket: root.path + "/first.sock", database: database)
        defer { first.killInBackground() }
        let client = CustomerClient(socketPath: root.path + "/first.sock")
        defer { client.close() }
        try await waitUntilServing(client)
        let customer = try await client.customers.create(CustomerFields(name: "Upload Oy"))

        // An upload half-way through: its first chunk is in the staging area, the rest waits.
        let content = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        var hasher = SHA256()
        content.withUnsafeBytes { hasher.update($0) }
        let header = UploadFileMessage.Header(customerId: customer.id, name: "half.bin", size: Int64(content.count),
                                              sha256: hasher.finalizeHex())
        let (resume, resumed) = AsyncStream<Void>.makeStream()
        let upload = Task {
            try await client.files.upload(header) { send in
                try await send(content.prefix(100_000))
                for await _ in resume { break }
                try await send(content.suffix(from: 100_000))
            }
        }
        let staging = database + ".files/tmp"
        // Up to the tests' wait limit, not 6 000 polls (60 s): an upload beside busy cores may take longer.
        try await waitUntil("the upload's staging file to appear", every: .milliseconds(10)) {
            !((try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []).isEmpty
        }
        let staged = (try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []
        #expect(staged.count == 1)

        let second = try await refusedStart(["--socket", root.path + "/second.sock", "--database", database])
        #expect(second.status == 2)
        #expect(second.stderr.contains("the database \(database) is in use by another server (pid \(first.pid))"), "\(second.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.path + "/second.sock"))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []) == staged)

        resumed.yield()
        let file = try await upload.value
        #expect(file.size == Int64(content.count))
        #expect(try await client.files.list(customerID: customer.id).files.map(\.name) == ["half.bin"])
    }

    @Test func theDatabaseItsLogAndFileContentAreTheOwnersAloneWhateverTheUmask() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let database = root.path + "/data/customers.sqlite"
        let socket = root.path + "/d.sock"
        let customerd = try Products.url(of: "customerd").path
        // umask 000: every mode below comes from the server's own calls, not from a kind umask.
        let daemon = try ChildProcess.spawn("/bin/sh", ["-c", "umask 000; exec \"$0\" \"$@\"", customerd,
                                                        "--socket", socket, "--database", database, "--log-level", "warning"])
        defer { daemon.killInBackground() }
        let client = CustomerClient(socketPath: socket)
        defer { client.close() }
        try await waitUntilServing(client)
        let customer = try await client.customers.create(CustomerFields(name: "Private Oy"))
        let file = try await client.files.upload(customerID: customer.id, name: "a.txt", data: Data("secret".utf8))

        let blobRoot = database + ".files"
        let blob = try #require(FileManager.default.subpaths(atPath: blobRoot)?.first { $0.hasSuffix(file.sha256) })
        for path in [database, database + "-wal", database + ".lock", blobRoot + "/" + blob] {
            #expect(SocketSafetyTests.mode(path) == 0o600, "\(path)")
        }
        // The WAL index lives in the server's memory (SQLiteConnection.vfs): no -shm file at all.
        #expect(!FileManager.default.fileExists(atPath: database + "-shm"))
        let blobDirectory = (blobRoot + "/" + blob as NSString).deletingLastPathComponent
        for path in [root.path + "/data", blobRoot, blobRoot + "/tmp", blobDirectory, (blobDirectory as NSString).deletingLastPathComponent] {
            #expect(SocketSafetyTests.mode(path) == 0o700, "\(path)")
        }
        #expect(SocketSafetyTests.mode(socket) == 0o600)
    }

    @Test func aDatabaseFromAnEarlierVersionIsMadeTheOwnersAlone() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let start: @Sendable () throws -> TestServer = { try TestServer(directory: root) }
        let databasePath = try await withTestServer(start: start, stop: { $0.stopKeepingData() }) { $0.databasePath }
        #expect(chmod(databasePath, 0o644) == 0)
        try await withTestServer(start: start, stop: { $0.stopKeepingData() }) { second in
            #expect(SocketSafetyTests.mode(second.databasePath) == 0o600)
        }
    }

    /// A database with 300 customers whose last `bytes` are garbled (default: the second half of
    /// the file); returns its path.
    static func makeDamagedDatabase(in root: URL, bytes: UInt64? = nil, test: String = #function) async throws -> String {
        let database = try await withTestServer(test: test, start: { try TestServer(directory: root) },
                                                stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            for index in 0..<300 {
                _ = try await client.customers.create(CustomerFields(name: "Customer \(index)", description: String(repeating: "n", count: 400)))
            }
            return server.databasePath
        }
        // The last close checkpointed the log into the file: garble the customers' pages at its end.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: database))
        let size = try handle.seekToEnd()
        let start = size - min(bytes ?? size / 2, size / 2)
        try handle.seek(toOffset: start)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: Int(size - start)))
        try handle.close()
        return database
    }

    @Test func aDamagedDatabaseIsRefusedAtStart() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let database = try await Self.makeDamagedDatabase(in: root)
        let result = try await refusedStart(["--socket", root.path + "/d.sock", "--database", database])
        #expect(result.status == 3)
        #expect(result.stderr.contains("the database \(database) is damaged"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.path + "/d.sock"))
    }

    @Test func aDamagedDatabaseTooLargeToCheckBeforeServingStopsTheServerOnceChecked() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        // Only the last pages (customers written last), which opening the store does not read.
        _ = try await Self.makeDamagedDatabase(in: root, bytes: 4 * 4096)
        // A limit of 0 bytes: every database counts as too large, so the check runs beside serving.
        let socketPath = try await withTestServer(start: { try TestServer(directory: root) { $0.integrityCheckBeforeServingLimit = 0 } },
                                                  stop: { $0.stopKeepingData() }) { server in
            // Up to the tests' wait limit, not 2 000 polls (40 s): the check beside busy cores may take longer.
            try await waitUntil("the check beside serving to refuse the database", every: .milliseconds(20)) {
                server.app.failureAfterStart != nil
            }
            #expect(server.app.failureAfterStart == .databaseRefused)
            return server.socketPath
        }
        // It stopped itself: the socket is gone.
        #expect(!FileManager.default.fileExists(atPath: socketPath))
    }

    @Test func aDatabaseThatCannotBeWrittenIsRefusedAtStart() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let database = try await withTestServer(start: { try TestServer(directory: root) }, stop: { $0.stopKeepingData() }) {
            $0.databasePath
        }
        #expect(chmod(database, 0o400) == 0)
        let arguments = ["--socket", root.path + "/d.sock", "--database", database]
        let result: ProcessResult
        if getuid() == 0 {
            // root writes whatever the mode says: run the server as the file's owner instead.
            guard OtherUser.isPossible else { return }
            let files = try FileManager.default.contentsOfDirectory(atPath: root.path).map { root.path + "/" + $0 }
            for path in [root.path] + files { #expect(chown(path, 4242, 4242) == 0) }
            result = try await refusedStart(arguments, through: (OtherUser.setpriv, ["--reuid=4242", "--regid=4242", "--clear-groups"]))
        } else {
            result = try await refusedStart(arguments)
        }
        #expect(result.status == 3)
        #expect(result.stderr.contains("the database \(database) cannot be written"), "\(result.stderr)")
    }
}

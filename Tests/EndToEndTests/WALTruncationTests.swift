import CustomerClient
import Foundation
import Glibc
import SQLiteEngine
import TestSupport
import Testing

/// The write-ahead log cut short by another process while the server runs (`truncate -s 0
/// customers.sqlite-wal`, by the server's user or root). The creates it held are lost, and SQLite
/// reads them as a short read (SQLITE_IOERR_SHORT_READ). Before (redteam18's known gap), every call
/// from then on was `INTERNAL` "the store failed" while health stayed SERVING and no line told the
/// operator what happened; now the first call that meets it is `DATA_LOSS` naming the cause, every
/// call after it too (writes and reads: what is left is a mix of old and new pages), one
/// `critical` line tells the operator, and health says NOT_SERVING.
@Suite struct WALTruncationTests {
    @Test func aWriteAheadLogCutShortIsDataLossAndTheServerStopsReportingHealthy() async throws {
        let log = LogCapture(label: "test-customerd", level: .warning)
        try await withTestServer(start: { try TestServer(logger: log.logger) }, stop: { $0.stop() }) { server in
            let client = server.client()
            defer { client.close() }
            let reader = try await Self.holdSnapshot(of: server.databasePath)
            defer { reader.close() }
            var created: [Int64] = []
            for name in ["First Oy", "Second Oy", "Third Oy"] {
                created.append(try await client.customers.create(CustomerFields(name: name)).id)
            }
            #expect(truncate(server.databasePath + "-wal", 0) == 0, "truncate: errno \(errno)")

            let message = "the database's write-ahead log \(server.databasePath)-wal was cut short while the server ran"
            for id in created {
                do {
                    let customer = try await client.customers.get(id: id)
                    Issue.record("customer \(id) read back after its log was cut: \(customer.name)")
                } catch let error as RPCError {
                    #expect(error.code == .dataLoss, "\(error)")
                    #expect(error.message.contains(message), "\(error)")
                }
            }
            do {
                let after = try await client.customers.create(CustomerFields(name: "After Oy"))
                Issue.record("a create after the log was cut was acknowledged: \(after.id)")
            } catch let error as RPCError {
                #expect(error.code == .dataLoss, "\(error)")
            }

            #expect(try await healthOnceNotServing(client) == .notServing)
            let lines = log.all.filter { $0.contains("database files gone or damaged") }
            #expect(lines.count == 1, "\(log.all)")
            #expect(lines.first?.contains(message) == true, "\(lines)")
        }
    }

    /// A write that comes before any read meets the cut (its pages in the writer's cache): before
    /// (walcut27), it was appended to the cut log and acknowledged, and the in-memory WAL index
    /// pointed at frames that were now zeros, which a checkpoint could copy into the database file.
    /// Now the writer compares the log's size with what its commits left before each COMMIT: the
    /// create is refused `DATA_LOSS`, the marker is left, and the database file is as it was.
    @Test func aWriteBeforeAnyReadMeetsACutLogIsRefusedAndTheDatabaseFileIsKept() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let database = try await withTestServer(start: { try TestServer(directory: root) }, stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            let path = server.databasePath
            _ = try await client.customers.create(CustomerFields(name: "Before Oy"))
            // Copied into the database file now, so the copy below must hold it.
            let copied = try await onThread { () throws -> Bool in
                let other = try SQLiteConnection(path: path, role: .writer, busyTimeoutMilliseconds: 5_000)
                defer { other.close() }
                return try other.checkpointPassive()
            }
            #expect(copied)
            let reader = try await Self.holdSnapshot(of: path)
            defer { reader.close() }
            for name in ["First Oy", "Second Oy", "Third Oy"] {
                _ = try await client.customers.create(CustomerFields(name: name))
            }
            #expect(truncate(path + "-wal", 0) == 0, "truncate: errno \(errno)")

            do {
                let after = try await client.customers.create(CustomerFields(name: "After Oy"))
                Issue.record("a create into a cut log was acknowledged: \(after.id)")
            } catch let error as RPCError {
                #expect(error.code == .dataLoss, "\(error)")
                #expect(error.message.contains("the database's write-ahead log \(path)-wal was cut short while the server ran"),
                        "\(error)")
            }
            #expect(FileManager.default.fileExists(atPath: path + ".wal-cut-short"))
            let later = await #expect(throws: RPCError.self) { try await client.customers.list() }
            #expect(later?.code == .dataLoss)
            return path
        }

        // The database file alone (a copy, without the log) opens, is intact and holds what it held.
        let copy = root.path + "/copy.sqlite"
        try FileManager.default.copyItem(atPath: database, toPath: copy)
        let (integrity, names) = try await onThread { () throws -> (String?, [String]) in
            let connection = try SQLiteConnection(path: copy, role: .writer, busyTimeoutMilliseconds: 5_000)
            defer { connection.close() }
            let names = try connection.withStatement("SELECT name FROM customers ORDER BY name") { statement in
                var names: [String] = []
                while try statement.step() { names.append(try statement.text("name")) }
                return names
            }
            return (try connection.pragma("integrity_check"), names)
        }
        #expect(integrity == "ok")
        #expect(names == ["Before Oy"])

        let refused = try await refusedStart(["--socket", root.path + "/d.sock", "--database", database])
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("the database \(database) lost writes: its write-ahead log was cut short "),
                "\(refused.stderr)")
    }

    /// After the cut the server is stopped; its next start must not serve what is left as if
    /// nothing was lost (before, it started without a word and the three creates were gone).
    @Test func aLogCutShortIsRefusedAtTheNextStartUntilItsMarkerIsRemoved() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let (database, _) = try await Self.cutTheLogAndStop(in: root)
        let marker = database + ".wal-cut-short"

        let refused = try await refusedStart(["--socket", root.path + "/d.sock", "--database", database])
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("the database \(database) lost writes: its write-ahead log was cut short "
                                        + "(\(marker): noticed "), "\(refused.stderr)")
        #expect(refused.stderr.contains("customerd --database \(database) --restore BACKUP --force"), "\(refused.stderr)")
        #expect(refused.stderr.contains("(rm \(marker))"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.path + "/d.sock"))

        // The operator checked the database and removes the marker: it starts.
        #expect(unlink(marker) == 0)
        try await withTestServer(start: { try TestServer(directory: root) }, stop: { $0.stop() }) { server in
            let client = server.client()
            defer { client.close() }
            let health = try await client.server.health()
            #expect(health == .serving)
        }
    }

    /// The log cut while no server read it: the server killed (its log holding the last creates),
    /// then `truncate -s 0` before the next start (caps21; before, that start served what was left,
    /// the creates gone without a word). Without the cut the same restart serves them all.
    @Test func aLogCutWhileNoServerReadItIsRefusedAtTheNextStart() async throws {
        let files = try DaemonFiles()
        defer { files.remove() }
        let (socket, database) = (files.socket, files.database)
        func createAndKill(_ names: [String]) async throws {
            try await Self.createAndKill(names, socket: socket, database: database)
        }

        try await createAndKill(["Kept Oy", "Also Kept Oy"])
        let restarted = try startDaemon(socket: socket, database: database)
        let client = CustomerClient(socketPath: socket)
        try await waitUntilServing(client)
        #expect(try await client.customers.list().customers.map(\.name).sorted() == ["Also Kept Oy", "Kept Oy"])
        client.close()
        restarted.terminate(SIGKILL)
        _ = try await restarted.exitStatus("customerd to end after SIGKILL")

        try await createAndKill(["Lost Oy"])
        #expect(truncate(database + "-wal", 0) == 0, "truncate: errno \(errno)")
        let refused = try await refusedStart(["--socket", socket, "--database", database])
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("the database \(database) lost writes: its write-ahead log was cut short "
                                        + "(\(database).wal-cut-short: noticed "), "\(refused.stderr)")
        #expect(refused.stderr.contains("the write-ahead log \(database)-wal is 0 bytes, shorter than the "), "\(refused.stderr)")
        // The marker stays: the next start is refused too, until a restore or the operator removes it.
        #expect(FileManager.default.fileExists(atPath: database + ".wal-cut-short"))
    }

    /// What an operator does after a kill: look at the data with another SQLite program (the
    /// `sqlite3` shell). Its last connection copies the log into the database and deletes it, which
    /// loses nothing; the next start serves (before: refused, the log "cut or removed").
    @Test func aLogAnotherSQLiteProgramCopiedAndRemovedAfterAKillIsNoCut() async throws {
        let files = try DaemonFiles()
        defer { files.remove() }
        let (socket, database) = (files.socket, files.database)
        try await Self.createAndKill(["Kept Oy", "Also Kept Oy"], socket: socket, database: database)
        #expect(LogLengthRecord.cut(databasePath: database) == nil, "a log as the kill left it is whole")

        // File times tick coarsely: wait (bounded) until a file written now is later than the
        // record, as anything an operator runs after a kill is.
        try await waitUntilAFileWrittenNowIsLater(than: LogLengthRecord.path(forDatabase: database), in: files.directory.path)
        let count = try await onThread { () throws -> Int64 in
            let other = try SQLiteConnection(path: database, role: .writer, busyTimeoutMilliseconds: 5_000)
            defer { other.close() }
            return try other.withStatement("SELECT count(*) FROM customers") { statement in
                _ = try statement.step()
                return statement.int64(0)
            }
        }
        #expect(count == 2)
        #expect(!FileManager.default.fileExists(atPath: database + "-wal"), "the other program's close removed the log")

        let restarted = try startDaemon(socket: socket, database: database)
        defer { restarted.killInBackground() }
        let again = CustomerClient(socketPath: socket)
        defer { again.close() }
        try await waitUntilServing(again)
        #expect(try await again.customers.list().customers.map(\.name).sorted() == ["Also Kept Oy", "Kept Oy"])
        #expect(!FileManager.default.fileExists(atPath: database + ".wal-cut-short"))
    }

    /// A customerd on `database` that creates `names`, then is killed (SIGKILL): its log holds them.
    private static func createAndKill(_ names: [String], socket: String, database: String) async throws {
        let daemon = try startDaemon(socket: socket, database: database)
        defer { daemon.killInBackground() }
        let client = CustomerClient(socketPath: socket)
        defer { client.close() }
        try await waitUntilServing(client)
        for name in names { _ = try await client.customers.create(CustomerFields(name: name)) }
        daemon.terminate(SIGKILL)
        #expect(try await daemon.exitStatus("customerd to end after SIGKILL") == 128 + SIGKILL)
    }

    private func waitUntilAFileWrittenNowIsLater(than path: String, in directory: String) async throws {
        func modified(_ path: String) -> timespec? {
            var info = stat()
            return stat(path, &info) == 0 ? info.st_mtim : nil
        }
        let probe = directory + "/probe-time"
        defer { unlink(probe) }
        let record = try #require(modified(path))
        for _ in 0..<10_000 {
            #expect(FileManager.default.createFile(atPath: probe, contents: Data([1])))
            let now = try #require(modified(probe))
            if now.tv_sec > record.tv_sec || (now.tv_sec == record.tv_sec && now.tv_nsec > record.tv_nsec) { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("a file written now is still no later than \(path)")
    }

    @Test func restoringABackupClearsTheMarkOfALogCutShort() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let (database, backup) = try await Self.cutTheLogAndStop(in: root)

        let restored = try await runProduct("customerd", ["--database", database, "--restore", backup, "--force",
                                                          "--log-level", "warning"])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(!FileManager.default.fileExists(atPath: database + ".wal-cut-short"))
        try await withTestServer(start: { try TestServer(directory: root) }, stop: { $0.stop() }) { server in
            let client = server.client()
            defer { client.close() }
            let names = try await client.customers.list().customers.map(\.name)
            #expect(names == ["In the backup Oy"])
        }
    }

    /// A server in `root` that creates a customer, backs up, creates three more held by the log
    /// alone, has its log cut, meets the cut (`DATA_LOSS`) and is stopped, keeping its files.
    /// - Returns: the database's path and the backup's.
    private static func cutTheLogAndStop(in root: URL) async throws -> (database: String, backup: String) {
        let backup = root.path + "/backup"
        let database = try await withTestServer(start: { try TestServer(directory: root) }, stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            _ = try await client.customers.create(CustomerFields(name: "In the backup Oy"))
            _ = try await client.maintenance.backup(to: backup)
            let path = server.databasePath
            let reader = try await Self.holdSnapshot(of: path)
            defer { reader.close() }
            var created: [Int64] = []
            for name in ["First Oy", "Second Oy", "Third Oy"] {
                created.append(try await client.customers.create(CustomerFields(name: name)).id)
            }
            #expect(truncate(path + "-wal", 0) == 0, "truncate: errno \(errno)")
            let error = await #expect(throws: RPCError.self) { try await client.customers.get(id: created[0]) }
            #expect(error?.code == .dataLoss)
            // Left, and durable, before the call was answered.
            #expect(FileManager.default.fileExists(atPath: path + ".wal-cut-short"))
            return path
        }
        return (database, backup)
    }

    /// A reader of another process's kind holding its snapshot from before the creates to come: no
    /// checkpoint may copy them back into the database file (the start-up's migrations may have
    /// queued one), so they are in the log alone when it is cut.
    ///
    /// The server keeps its WAL index in its own memory ("unix-excl"), so this reader reads the
    /// database file as it is on disk, and may meet it while a checkpoint of the server writes it
    /// (the search indexer commits behind the first create, and a checkpoint follows): page 1 not
    /// written yet reads as SQLITE_NOTADB. It tries again, on its own thread, at most 500 times.
    private static func holdSnapshot(of path: String) async throws -> SQLiteConnection {
        let notADatabase: Int32 = 26  // SQLITE_NOTADB (this target does not import CSQLite)
        return try await onThread {
            var attempt = 0
            while true {
                attempt += 1
                do {
                    let reader = try SQLiteConnection(path: path, role: .reader, busyTimeoutMilliseconds: 5_000)
                    try reader.execute("BEGIN DEFERRED; SELECT count(*) FROM customers")
                    return reader
                } catch let error as SQLiteError where error.primaryCode == notADatabase && attempt < 500 {
                    usleep(10_000)
                }
            }
        }
    }
}

import CommandLineKit
import CustomerClient
import CustomerStore
import Foundation
import Glibc
import TestSupport
import Testing

/// customerd ended by SIGTERM or SIGKILL while a large write is under way (docs/HARDENING.md):
/// what a user checks after the restart is that the write is there whole or not at all, and that
/// sending it again with its idempotency key makes it whole exactly once.
@Suite struct SignalDuringWriteTests {
    static let rowCount = 20_000

    /// The same batches every time they are asked for (a keyed retry sends them again).
    static func rows(_ send: ([CustomerRecord]) async throws -> Void) async throws {
        for start in stride(from: 0, to: rowCount, by: 1_000) {
            try await send((start..<start + 1_000).map {
                CustomerRecord(line: Int64($0 + 2), fields: CustomerFields(
                    name: "Imported \($0) Oy", description: String(repeating: "d", count: 400), country: "FI",
                    email: "office\($0)@example.com"))
            })
        }
    }

    /// Polls `path`'s size from a thread of its own until it passes `bytes`, then sends `signal`:
    /// the import's 128 MiB page cache keeps its rows out of the WAL until its COMMIT, so the WAL
    /// growing says the COMMIT is writing. Bounded (300 000 looks, 0.2 ms apart); sends the signal
    /// at the end all the same.
    static func signal(_ daemon: ChildProcess, _ signal: Int32, onceLargerThan bytes: off_t, _ path: String) async throws -> Bool {
        await onThread {
            var status = stat()
            for _ in 0..<300_000 {
                if stat(path, &status) == 0, status.st_size > bytes {
                    daemon.terminate(signal)
                    return true
                }
                usleep(200)
            }
            daemon.terminate(signal)
            return false
        }
    }

    /// Starts customerd on `files`, runs `write` and sends `signal` once the WAL has grown by 1 MiB,
    /// then waits for customerd's exit (0 after SIGTERM).
    /// - Returns: what `write` came to, and whether the WAL grew before the wait's end.
    static func signalDuringWrite<T: Sendable>(
        _ files: DaemonFiles, _ signal: Int32, _ write: @escaping @Sendable (CustomerClient) async throws -> T
    ) async throws -> (Result<T, any Error>, landed: Bool) {
        let daemon = try startDaemon(socket: files.socket, database: files.database)
        do {
            let client = CustomerClient(socketPath: files.socket)
            defer { client.close() }
            try await waitUntilServing(client)
            var status = stat()
            let walBefore = stat(files.database + "-wal", &status) == 0 ? status.st_size : 0
            let writing = Task { try await write(client) }
            let landed = try await Self.signal(daemon, signal, onceLargerThan: walBefore + (1 << 20), files.database + "-wal")
            let outcome = await writing.result
            let exit = try await daemon.exitStatus("customerd to exit")
            #expect(exit == (signal == SIGKILL ? 128 + SIGKILL : 0))
            return (outcome, landed)
        } catch {
            daemon.terminate(SIGKILL)
            _ = try? await daemon.exitStatus("customerd to exit")
            throw error
        }
    }

    static func customerCount(_ client: CustomerClient) async throws -> Int {
        var count = 0
        for try await _ in client.customers.stream(CustomerQuery(status: .all)) { count += 1 }
        return count
    }

    @Test(arguments: [SIGTERM, SIGKILL])
    func anImportSignalledDuringItsCommitIsThereWholeOrNotAtAllAndItsRetryCompletesIt(signal: Int32) async throws {
        let files = try DaemonFiles()
        defer { files.remove() }
        var options = CallOptions(timeout: .seconds(testWaitLimit))
        options.idempotencyKey = "import-\(signal)"
        let (first, landed) = try await Self.signalDuringWrite(files, signal) { [options] client in
            try await client.customers.importRecords(ImportOptions(), callOptions: options, rows: Self.rows)
        }
        #expect(landed, "the WAL never grew: the signal was sent at the end of the wait")

        let restarted = try startDaemon(socket: files.socket, database: files.database)
        defer { restarted.terminate() }
        let client = CustomerClient(socketPath: files.socket)
        defer { client.close() }
        try await waitUntilServing(client)
        let after = try await Self.customerCount(client)
        switch first {
        case .success(let answer):
            // Acknowledged: all there, and the retry answers the same without running again.
            #expect(answer.imported == Int64(Self.rowCount))
            #expect(after == Self.rowCount)
        case .failure(let error):
            // Not acknowledged: all or nothing, never a part.
            #expect((error as? RPCError)?.code == .unavailable, "\(error)")
            #expect(after == 0 || after == Self.rowCount, "\(after) of \(Self.rowCount) rows after the restart")
        }
        let retry = try await client.customers.importRecords(ImportOptions(), callOptions: options, rows: Self.rows)
        #expect(retry.imported == Int64(Self.rowCount))
        if case .success(let answer) = first { #expect(retry == answer) }
        #expect(try await Self.customerCount(client) == Self.rowCount)
        restarted.terminate()
        #expect(try await restarted.exitStatus("customerd to exit") == 0)
    }

    static let noteCount = 5_000

    /// Two customers in a fresh database, the second with `noteCount` notes for a merge to move.
    static func seedMergePair(_ database: String) async throws -> (keep: Int64, absorb: Int64) {
        try await onThread {
            let store = try CustomerStore(path: database)
            defer { store.close() }
            let admins = try store.bootstrap(administrators: [(uid: getuid(), name: "tester")])
            guard let me = admins.first?.id else { throw StoreError.notFound("no administrator was made") }
            let ids = try store.createCustomers([NewCustomer(name: "Kept Oy"), NewCustomer(name: "Absorbed Oy")], by: .user(me))
            for index in 0..<noteCount {
                _ = try store.addNote(customerID: ids[1], text: "Call \(index): " + String(repeating: "n", count: 300),
                                      contactID: nil, by: .user(me))
            }
            return (ids[0], ids[1])
        }
    }

    static func noteCount(_ client: CustomerClient, of customer: Int64) async throws -> Int {
        let list = try await client.activities.list(customerID: customer)
        return list.planned.count + list.done.count
    }

    @Test(arguments: [SIGTERM, SIGKILL])
    func aMergeSignalledWhileItWritesIsDoneWholeOrNotAtAll(signal: Int32) async throws {
        let files = try DaemonFiles()
        defer { files.remove() }
        let (keep, absorb) = try await Self.seedMergePair(files.database)
        // The merge's moved rows pass the writer's page cache and reach the WAL before its COMMIT.
        let (first, _) = try await Self.signalDuringWrite(files, signal) { client in
            try await client.customers.merge(keep: keep, absorb: absorb)
        }

        let restarted = try startDaemon(socket: files.socket, database: files.database)
        defer { restarted.terminate() }
        let client = CustomerClient(socketPath: files.socket)
        defer { client.close() }
        try await waitUntilServing(client)
        let absorbedAfter = await outcome { _ = try await client.customers.get(id: absorb) }
        let merged = absorbedAfter?.code == .notFound
        if case .success = first { #expect(merged, "acknowledged, so merged after the restart") }
        if case .failure(let error) = first { #expect((error as? RPCError)?.code == .unavailable, "\(error)") }
        if merged {
            #expect(try await Self.noteCount(client, of: keep) == Self.noteCount)
        } else {
            #expect(absorbedAfter == nil, "\(String(describing: absorbedAfter))")
            #expect(try await Self.noteCount(client, of: keep) == 0)
            #expect(try await Self.noteCount(client, of: absorb) == Self.noteCount)
            // Not done: sent again, it is done whole.
            _ = try await client.customers.merge(keep: keep, absorb: absorb)
            #expect(try await Self.noteCount(client, of: keep) == Self.noteCount)
        }
        restarted.terminate()
        #expect(try await restarted.exitStatus("customerd to exit") == 0)
    }
}

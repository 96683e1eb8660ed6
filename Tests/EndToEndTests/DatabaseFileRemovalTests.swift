import CustomerClient
import Foundation
import TestSupport
import Testing

/// The database's files removed while the server runs (an `rm`, a clean-up script): SQLite goes on
/// writing to the files it holds open, so every create was acknowledged, and the next start found
/// no database and made an empty one (redteam17: both creates gone). Now the writes are refused
/// once the removal is noticed, and a backup still saves what was acknowledged.
@Suite struct DatabaseFileRemovalTests {
    @Test func writesAreRefusedOnceTheDatabaseFileIsRemovedAndABackupSavesThem() async throws {
        try await withServer { server, client in
            let before = try await client.customers.create(CustomerFields(name: "Before Oy"))
            for suffix in ["", "-wal"] { try FileManager.default.removeItem(atPath: server.databasePath + suffix) }

            var acknowledged = [before.id]
            var refusal: RPCError?
            let giveUp = ContinuousClock.now + .seconds(testWaitLimit)
            while refusal == nil && ContinuousClock.now < giveUp {
                do {
                    acknowledged.append(try await client.customers.create(CustomerFields(name: "After Oy")).id)
                    try await Task.sleep(for: .milliseconds(20))
                } catch let error as RPCError {
                    refusal = error
                }
            }
            #expect(refusal?.code == .unavailable)
            #expect(refusal?.message.contains("the database file \(server.databasePath) was removed or replaced while the "
                                              + "server ran") == true, "\(String(describing: refusal))")
            #expect(try await client.customers.get(id: before.id).name == "Before Oy")

            let target = server.directory.path + "/saved"
            let backup = try await client.maintenance.backup(to: target)
            #expect(backup.customers == Int64(acknowledged.count))
        }
    }

    /// A create sent right after the removal, without the pause the writes' own look took (at most
    /// every 100 ms): its group looks at the files before its COMMIT, so it is refused, not
    /// acknowledged into the removed file (redteam18). And the operator is told without a write:
    /// one log line, and health NOT_SERVING.
    @Test func aWriteRightAfterTheRemovalIsRefusedAndTheOperatorIsToldOnce() async throws {
        let log = LogCapture(label: "test-customerd", level: .warning)
        try await withTestServer(start: { try TestServer(logger: log.logger) }, stop: { $0.stop() }) { server in
            let client = server.client()
            defer { client.close() }
            let before = try await client.customers.create(CustomerFields(name: "Before Oy"))
            for suffix in ["", "-wal"] { try FileManager.default.removeItem(atPath: server.databasePath + suffix) }
            do {
                let after = try await client.customers.create(CustomerFields(name: "After Oy"))
                Issue.record("a create right after the removal was acknowledged: \(after.id)")
            } catch let error as RPCError {
                #expect(error.code == .unavailable, "\(error)")
            }

            #expect(try await healthOnceNotServing(client) == .notServing)
            let lines = log.all.filter { $0.contains("database files gone") }
            #expect(lines.count == 1, "\(log.all)")
            #expect(lines.first?.contains("the database file \(server.databasePath) was removed or replaced") == true)
            #expect(try await client.customers.get(id: before.id).name == "Before Oy")
            let backup = try await client.maintenance.backup(to: server.directory.path + "/saved")
            #expect(backup.customers == 1)
        }
    }
}

import CustomerClient
import Foundation
import Testing

/// `Backup` sent with an `idempotency-key` (PROTOCOL.md 7.1): the key and the answer are published
/// in the backup's MANIFEST with it, and its row written after; a retry gets the first answer and
/// writes nothing, also after a crash between the two and once the backup was removed.
@Suite struct BackupIdempotencyKeyTests {
    func keyed(_ key: String) -> CallOptions {
        var options = CallOptions()
        options.idempotencyKey = key
        return options
    }

    @Test func aBackupSentAgainWithItsKeyGetsTheFirstAnswerAlsoOnceTheBackupWasRemoved() async throws {
        try await withServer { server, client in
            _ = try await client.customers.create(CustomerFields(name: "Backed Oy"))
            let target = server.directory.path + "/backup-1"
            let first = try await client.maintenance.backup(to: target, options: keyed("backup-1"))
            // Without the key this retry is refused ALREADY_EXISTS: the folder is there by now.
            let retry = try await client.maintenance.backup(to: target, options: keyed("backup-1"))
            #expect(retry == first)
            let manifest = try String(contentsOfFile: target + "/MANIFEST", encoding: .utf8)
            #expect(manifest.contains("\nidempotency-key "))

            try FileManager.default.removeItem(atPath: target)
            let afterRemoval = try await client.maintenance.backup(to: target, options: keyed("backup-1"))
            #expect(afterRemoval == first)
            #expect(!FileManager.default.fileExists(atPath: target), "a replay wrote a backup")
            #expect(try BackupTests.stagingFolders(in: server.directory.path).isEmpty)
        }
    }

    @Test func anotherRequestUnderABackupsKeyIsRefusedAndARefusedBackupLeavesItsKeyFree() async throws {
        try await withServer { server, client in
            let refused = await #expect(throws: RPCError.self) {
                try await client.maintenance.backup(to: "relative/backup", options: keyed("backup-2"))
            }
            #expect(refused?.code == .invalidArgument)
            let target = server.directory.path + "/backup-2"
            _ = try await client.maintenance.backup(to: target, options: keyed("backup-2"))

            let elsewhere = server.directory.path + "/backup-3"
            let other = await #expect(throws: RPCError.self) {
                try await client.maintenance.backup(to: elsewhere, options: keyed("backup-2"))
            }
            #expect(other?.code == .failedPrecondition)
            #expect(other?.details.map(\.field) == ["idempotency-key"])
            let otherMethod = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(name: "Keyed Oy"), options: keyed("backup-2"))
            }
            #expect(otherMethod?.code == .failedPrecondition)
            #expect(otherMethod?.message.contains("Backup") == true)
            #expect(!FileManager.default.fileExists(atPath: elsewhere))
            #expect(try await client.customers.list(limit: 10).customers.isEmpty)
        }
    }

    @Test func aRetryAfterACrashBetweenThePublicationAndTheKeysRowGetsTheAnswerFromTheManifest() async throws {
        let directory = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.path + "/backup"
        let first = try await withTestServer(start: { try TestServer(directory: directory) }, stop: { $0.stopKeepingData() }) {
            server in
            let client = server.client()
            defer { client.close() }
            _ = try await client.customers.create(CustomerFields(name: "Crashed Oy"))
            return try await client.maintenance.backup(to: target, options: keyed("backup-crash"))
        }
        // What a kill between the rename that published the backup and the COMMIT of its key's row leaves.
        try StoreTampering.forgetIdempotencyKeys(databasePath: directory.path + "/customers.sqlite")
        let manifest = try String(contentsOfFile: target + "/MANIFEST", encoding: .utf8)

        try await withTestServer(start: { try TestServer(directory: directory) }, stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            #expect(try await client.maintenance.backup(to: target, options: keyed("backup-crash")) == first)
            let other = await #expect(throws: RPCError.self) {
                try await client.maintenance.backup(to: target, pagesPerStep: 7, options: keyed("backup-crash"))
            }
            #expect(other?.code == .failedPrecondition)
            // The retry wrote the key's row: a replay holds once the backup is gone too.
            try FileManager.default.removeItem(atPath: target)
            #expect(try await client.maintenance.backup(to: target, options: keyed("backup-crash")) == first)
            #expect(!FileManager.default.fileExists(atPath: target))
        }
        #expect(manifest.contains("idempotency-key"))
    }
}

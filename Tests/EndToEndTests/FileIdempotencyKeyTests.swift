import CustomerClient
import Foundation
import Glibc
import Hashing
import Testing

/// `UploadFile` and `RemoveFile` sent with an `idempotency-key` are done once, as every other
/// write (PROTOCOL.md 7.1): a client that lost its answer sends the call again with its key and
/// gets the first answer, the file stored once or removed once.
@Suite struct FileIdempotencyKeyTests {
    func keyed(_ key: String) -> CallOptions {
        var options = CallOptions()
        options.idempotencyKey = key
        return options
    }

    let content = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) })
    let otherContent = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 17 &+ 2) })

    /// `data` uploaded in chunks of `chunk` bytes under `options`.
    func upload(_ data: Data, customer: Int64, chunk: Int, name: String = "offer.pdf", sha256: String? = nil,
                options: CallOptions, _ client: CustomerClient) async throws -> FileInfo {
        let header = UploadFileMessage.Header(
            customerId: customer, name: name, size: Int64(data.count), sha256: sha256 ?? Hex.encode(SHA256.hash(data)))
        return try await client.files.upload(header, options: options) { send in
            var offset = 0
            while offset < data.count {
                let end = min(offset + chunk, data.count)
                try await send(data.subdata(in: offset..<end))
                offset = end
            }
        }
    }

    @Test func anUploadSentAgainWithItsKeyStoresTheFileOnceHoweverItsChunksAreSplit() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Upload Oy")).id
            let first = try await upload(content, customer: customer, chunk: 65_536, options: keyed("up-1"), client)
            let retry = try await upload(content, customer: customer, chunk: 1_000, options: keyed("up-1"), client)
            #expect(retry == first)
            #expect(try await client.files.list(customerID: customer).files == [first])
            #expect(try await client.history.list(.customer, id: customer).count == 2)
        }
    }

    @Test func anotherUploadOrMethodUnderAnUploadsKeyIsRefusedAndKeepsNothing() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Conflict Oy")).id
            let first = try await upload(content, customer: customer, chunk: 65_536, options: keyed("up-2"), client)
            let otherContent = await #expect(throws: RPCError.self) {
                try await upload(self.otherContent, customer: customer, chunk: 65_536, options: keyed("up-2"), client)
            }
            #expect(otherContent?.code == .failedPrecondition)
            #expect(otherContent?.details.map(\.field) == ["idempotency-key"])
            let otherName = await #expect(throws: RPCError.self) {
                try await upload(content, customer: customer, chunk: 65_536, name: "other.pdf", options: keyed("up-2"), client)
            }
            #expect(otherName?.code == .failedPrecondition)
            let otherMethod = await #expect(throws: RPCError.self) {
                try await client.files.remove(id: first.id, options: keyed("up-2"))
            }
            #expect(otherMethod?.code == .failedPrecondition)
            #expect(otherMethod?.message.contains("UploadFile") == true)
            #expect(try await client.files.list(customerID: customer).files == [first])
            let refusedBlob = Self.blobPath(database: server.databasePath, sha256: Hex.encode(SHA256.hash(self.otherContent)))
            #expect(!FileManager.default.fileExists(atPath: refusedBlob), "the refused upload's content was kept")
        }
    }

    @Test func aRefusedUploadOrRemovalLeavesItsKeyFreeForACorrectedRetry() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Retry Oy")).id
            let refused = await #expect(throws: RPCError.self) {
                try await upload(content, customer: customer, chunk: 65_536, sha256: String(repeating: "0", count: 64),
                                 options: keyed("fix-up"), client)
            }
            #expect(refused?.code == .invalidArgument)
            let corrected = try await upload(content, customer: customer, chunk: 65_536, options: keyed("fix-up"), client)
            // The corrected call, not the refused one, is what the key stands for now.
            #expect(try await upload(content, customer: customer, chunk: 65_536, options: keyed("fix-up"), client) == corrected)
            #expect(try await client.files.list(customerID: customer).files == [corrected])

            let absent = await #expect(throws: RPCError.self) {
                try await client.files.remove(id: corrected.id + 1_000, options: keyed("fix-rm"))
            }
            #expect(absent?.code == .notFound)
            let removed = try await client.files.remove(id: corrected.id, options: keyed("fix-rm"))
            #expect(removed.files.isEmpty)
            #expect(try await client.files.remove(id: corrected.id, options: keyed("fix-rm")) == removed)
        }
    }

    @Test func aRemovalSentAgainWithItsKeyAnswersTheSameAndItsContentGoesOnlyWithItsLastFile() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Remove Oy")).id
            let shared = try await client.files.upload(customerID: customer, name: "a.pdf", data: content)
            let twin = try await client.files.upload(customerID: customer, name: "b.pdf", data: content)
            let blob = Self.blobPath(database: server.databasePath, sha256: shared.sha256)

            let first = try await client.files.remove(id: shared.id, options: keyed("rm-1"))
            // Without the key this retry is refused NOT_FOUND: the file is gone by now.
            let retry = try await client.files.remove(id: shared.id, options: keyed("rm-1"))
            #expect(retry == first)
            #expect(first.files == [twin])
            #expect(try await BlobLeftByAKillTests.content(of: twin.id, client) == content)

            _ = try await client.files.remove(id: twin.id, options: keyed("rm-2"))
            #expect(!FileManager.default.fileExists(atPath: blob), "the content outlived its last file")
            #expect(try await client.files.list(customerID: customer).files.isEmpty)
            #expect(try await client.history.list(.customer, id: customer).count == 5)
        }
    }

    @Test func keyedUploadAndRemovalRetriedAfterKillNineGetTheirFirstAnswers() async throws {
        let files = try DaemonFiles()
        defer { files.remove() }
        let daemon = try startDaemon(socket: files.socket, database: files.database)
        defer { daemon.killInBackground() }
        let client = CustomerClient(socketPath: files.socket)
        defer { client.close() }
        try await waitUntilServing(client)
        let customer = try await client.customers.create(CustomerFields(name: "Crash Oy")).id
        let kept = try await upload(otherContent, customer: customer, chunk: 65_536, options: keyed("crash-up-kept"), client)
        let removed = try await upload(content, customer: customer, chunk: 65_536, options: keyed("crash-up"), client)
        let tab = try await client.files.remove(id: removed.id, options: keyed("crash-rm"))
        daemon.terminate(SIGKILL)
        #expect(try await daemon.exitStatus("customerd to exit") == 128 + SIGKILL)

        let (upload, removal, listed) = try await withRestartedDaemon(files, client) {
            (try await self.upload(otherContent, customer: customer, chunk: 4_096, options: keyed("crash-up-kept"), client),
             try await client.files.remove(id: removed.id, options: keyed("crash-rm")),
             try await client.files.list(customerID: customer).files)
        }
        #expect(upload == kept)
        #expect(removal == tab)
        #expect(listed == [kept])
    }

    static func blobPath(database: String, sha256: String) -> String {
        BlobLeftByAKillTests.blobPath(database: database, sha256: sha256)
    }
}

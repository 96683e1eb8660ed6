import CustomerClient
import Foundation
import Hashing
import Testing

/// An upload places its content at its address before it commits its row, and a removal commits
/// before it unlinks the content: a kill (SIGKILL) between the two steps leaves a blob no file row
/// names (crash27: `contrib/hostile/crash_points.py` found one after an upload cut by a kill). The
/// next start deletes it: the upload was never acknowledged, the removal was.
@Suite struct BlobLeftByAKillTests {
    @Test func aBlobNoFileRowNamesIsGoneAfterTheNextStartAndTheOthersStay() async throws {
        let directory = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let kept = Data((0..<150_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        let cut = Data((0..<150_000).map { UInt8(truncatingIfNeeded: $0 &* 11 &+ 1) })
        let (customer, file) = try await withTestServer(
            start: { try TestServer(directory: directory) }, stop: { $0.stopKeepingData() }
        ) { server in
            let client = server.client()
            defer { client.close() }
            let customer = try await client.customers.create(CustomerFields(name: "Blob Oy"))
            return (customer, try await client.files.upload(customerID: customer.id, name: "kept.pdf", data: kept))
        }
        // What the kill left: the cut upload's content at its address, its row never committed.
        let database = directory.appendingPathComponent("customers.sqlite").path
        let cutSHA = Hex.encode(SHA256.hash(cut))
        let orphan = Self.blobPath(database: database, sha256: cutSHA)
        try FileManager.default.createDirectory(atPath: (orphan as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try cut.write(to: URL(fileURLWithPath: orphan))

        try await withTestServer(start: { try TestServer(directory: directory) }, stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            #expect(!FileManager.default.fileExists(atPath: orphan), "the cut upload's content is still on disk")
            #expect(FileManager.default.fileExists(atPath: Self.blobPath(database: database, sha256: file.sha256)))
            #expect(try await Self.content(of: file.id, client) == kept)
            #expect(try await client.files.list(customerID: customer.id).files.map(\.name) == ["kept.pdf"])
            // The same content uploaded again is stored and read back whole.
            let again = try await client.files.upload(customerID: customer.id, name: "again.pdf", data: cut)
            #expect(again.sha256 == cutSHA)
            #expect(try await Self.content(of: again.id, client) == cut)
        }
    }

    static func content(of file: Int64, _ client: CustomerClient) async throws -> Data {
        var content = Data()
        for try await chunk in client.files.download(id: file) { content.append(chunk.data) }
        return content
    }

    static func blobPath(database: String, sha256: String) -> String {
        "\(database).files/\(sha256.prefix(2))/\(sha256.dropFirst(2).prefix(2))/\(sha256)"
    }
}

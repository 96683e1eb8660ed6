import CustomerClient
import Foundation
import Testing

/// Stored file content is what was uploaded, or refused as DATA_LOSS; `files download --to`
/// never leaves damaged or partial content under the target's name (issue 12 §4).
@Suite struct FileIntegrityCommandLineTests {
    func ctl(_ server: TestServer, _ arguments: String...) async throws -> ProcessResult {
        try await runProduct("customerctl", ["--socket", server.socketPath] + arguments)
    }

    /// The blob of a file is damaged on disk (same size, other bytes): a download to a file fails
    /// with DATA_LOSS and leaves neither the target nor a temporary file; uploading the right
    /// content again repairs it, and the download then writes the target.
    @Test func aDamagedFileIsDataLossUntilTheRightContentIsUploadedAgain() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Files Oy"))
            let content = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) })
            let file = try await client.files.upload(customerID: customer.id, name: "offer.pdf", data: content)
            let blob = server.databasePath + ".files/" + file.sha256.prefix(2) + "/" + file.sha256.dropFirst(2).prefix(2)
                + "/" + file.sha256
            try Data(content.reversed()).write(to: URL(fileURLWithPath: blob))

            let downloads = server.directory.appendingPathComponent("downloads", isDirectory: true)
            try FileManager.default.createDirectory(at: downloads, withIntermediateDirectories: true)
            let target = downloads.appendingPathComponent("offer.pdf")
            let damaged = try await ctl(server, "files", "download", String(file.id), "--to", target.path)
            #expect(damaged.status == 25, "\(damaged.stderr)")  // 10 + DATA_LOSS
            #expect(damaged.stderr.contains("damaged"), "\(damaged.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: downloads.path) == [])

            let again = try await client.files.upload(customerID: customer.id, name: "offer-again.pdf", data: content)
            #expect(again.sha256 == file.sha256)
            let repaired = try await ctl(server, "files", "download", String(file.id), "--to", target.path)
            #expect(repaired.status == 0, "\(repaired.stderr)")
            #expect(try Data(contentsOf: target) == content)
            #expect(try FileManager.default.contentsOfDirectory(atPath: downloads.path) == ["offer.pdf"])
        }
    }
}

import CustomerClient
import Foundation
import Hashing
import RPCClient
import TestSupport
import Testing

/// A client may announce any max frame size from 16 KiB up (PROTOCOL.md §5.1). `DownloadFile`
/// sent 64 KiB chunks whatever the client announced, and a stream message was held to the
/// client's limit counting its 10-byte header, so a client announcing 16 KiB (the node client of
/// contrib/conformance/node, spec29) got `RESOURCE_EXHAUSTED` "a stream message of 65540 bytes
/// exceeds the client's frame limit of 16384 bytes" after the first message of any download.
@Suite struct DownloadFrameLimitTests {
    @Test func aClientAtTheSmallestMaxFrameSizeDownloadsAFileWhole() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let content = SettingsAndFilesTests.pseudoRandomBytes(count: 200 * 1024)
            let stored = try await client.files.upload(customerID: customer.id, projectID: nil, name: "plan.bin", data: content)

            var configuration = ClientConfiguration()
            configuration.maxFrameSize = 16 * 1024
            let small = CustomerClient(socketPath: server.socketPath, configuration: configuration)
            defer { small.close() }
            var downloaded = Data()
            var chunks = 0
            for try await chunk in small.files.download(id: stored.id) {
                downloaded.append(chunk.data)
                chunks += 1
            }
            #expect(downloaded == content)
            // The announcing message, then chunks that each fill the client's frame (but the last).
            #expect(chunks > 1 + content.count / (16 * 1024))
        }
    }
}

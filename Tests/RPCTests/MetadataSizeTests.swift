@testable import RPCClient
@testable import RPCCore
import Testing

/// PROTOCOL.md §7: a metadata block holds at most 8192 bytes of keys and values together, and no
/// value has a limit of its own. The Swift client keeps to the same rule before it sends: a block
/// at the limit reaches the server, one byte over it is refused without being sent.
/// (ConformanceTests sends the same boundary as raw bytes, past any client's checks.)
@Suite struct MetadataSizeTests {
    static func options(keys: [String], valueBytes: Int) -> CallOptions {
        var metadata = Metadata()
        for key in keys { metadata.add(key, String(repeating: "v", count: valueBytes)) }
        return CallOptions(metadata: metadata)
    }

    @Test func aBlockOf8192BytesIsSentAndOneOf8193IsRefusedBeforeSending() async throws {
        try await withTestServer { _, channel in
            // "trace-id" (8 bytes) and a value of 8184: 8192 in all.
            let atLimit = Self.options(keys: ["trace-id"], valueBytes: 8184)
            let answer = try await channel.unary(TestService.echo, EchoRequest(text: "fits"), as: EchoResponse.self,
                                                 options: atLimit)
            #expect(answer.text == "fits")

            let over = Self.options(keys: ["trace-id"], valueBytes: 8185)
            let error = await rpcError {
                _ = try await channel.unary(TestService.echo, EchoRequest(text: "over"), as: EchoResponse.self, options: over)
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message == "metadata is 8193 bytes, the limit is 8192")
        }
    }
}

import BinaryCoding
@testable import RPCClient
@testable import RPCCore
@testable import RPCTransport
import Testing

/// A unary answer travels in its STATUS frame, and the client's max frame size counts payload bytes
/// (PROTOCOL.md §5.1, §9). The server kept 74 bytes back (a header and a margin for the STATUS
/// fields), so an answer whose STATUS frame fit the client's limit was refused `RESOURCE_EXHAUSTED`
/// when it came within 74 bytes of it (HARDENING.md's known gap, spec29). Now the STATUS payload
/// is held to the limit exactly: at the limit it is sent, one byte over it is refused.
@Suite struct UnaryAnswerFrameLimitTests {
    static let limit = 16 * 1024

    /// `Fill` answers an `EchoResponse` of `letters` letters; its STATUS payload is OK's four bytes
    /// (code, empty message, no details, no trailers) and that response.
    static func statusPayload(letters: Int) throws -> Int {
        let response = try BinaryEncoder().encode(EchoResponse(text: String(repeating: "x", count: letters)))
        return CallStatus.okPayload.count + response.count
    }

    /// The letters whose STATUS payload is `limit + offset` bytes.
    static func letters(atLimitPlus offset: Int) throws -> Int {
        var letters = limit - 16
        while try statusPayload(letters: letters) < limit + offset { letters += 1 }
        #expect(try statusPayload(letters: letters) == limit + offset)
        return letters
    }

    @Test(arguments: [-1, 0, 1])
    func anAnswerIsSentWhenItsStatusFrameFitsTheClientsLimitAndRefusedWhenNot(offset: Int) async throws {
        try await withTestServer { server, _ in
            var configuration = ClientConfiguration()
            configuration.maxFrameSize = Self.limit
            let small = ClientChannel(socketPath: server.socketPath, configuration: configuration)
            defer { small.close() }
            let letters = try Self.letters(atLimitPlus: offset)
            let request = Number(value: Int64(letters))
            if offset <= 0 {
                let answer = try await small.unary(TestService.fill, request, as: EchoResponse.self)
                #expect(answer.text.utf8.count == letters)
            } else {
                let error = await rpcError { _ = try await small.unary(TestService.fill, request, as: EchoResponse.self) }
                let responseBytes = Self.limit + offset - CallStatus.okPayload.count
                #expect(error?.code == .resourceExhausted)
                #expect(error?.message == "the response of \(responseBytes) bytes exceeds the client's frame limit of "
                        + "\(Self.limit) bytes (its STATUS payload would be \(Self.limit + offset) bytes)")
            }
            // The connection goes on either way.
            let after = try await small.unary(TestService.echo, EchoRequest(text: "after"), as: EchoResponse.self)
            #expect(after.text == "after")
        }
    }
}

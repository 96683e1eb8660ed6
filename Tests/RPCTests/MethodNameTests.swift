import BinaryCoding
@testable import RPCCore
@testable import RPCTransport
import Testing

/// A server compares each CALL_START's method name with its connection's previous call's before it
/// builds a String of it (ServerConnection+Reading.swift): calls that switch between methods, or
/// name one differing from the previous by a byte, its length or valid UTF-8, each reach the right
/// handler or the right refusal.
@Suite struct MethodNameTests {
    enum Expected: Equatable {
        case echo(String)
        case refused(StatusCode, mentions: String)
    }

    /// A unary CALL_START naming `name` (bytes, so a name need not be valid UTF-8).
    static func callStart(_ name: [UInt8], streamID: UInt32, text: String) -> [UInt8] {
        let message = (try? BinaryEncoder().encode(EchoRequest(text: text))) ?? []
        return FrameBuilder.frame(.callStart, flags: .lastMessage, streamID: streamID) { payload in
            payload.appendVarint(0)   // no deadline
            payload.appendVarint(UInt64(name.count))
            payload.append(contentsOf: name)
            payload.appendVarint(0)   // no metadata
            payload.append(contentsOf: message)
        }
    }

    @Test func callsOnOneConnectionSwitchingMethodsEachGetTheirOwnAnswer() async throws {
        let echo = Array(TestService.echo.fullName.utf8)
        let calls: [(name: [UInt8], expected: Expected)] = [
            (echo, .echo("1")),
            (Array(echo.dropLast()), .refused(.unimplemented, mentions: "unknown method test.v1.Test/Ech")),
            (echo, .echo("3")),
            (echo + Array("o".utf8), .refused(.unimplemented, mentions: "unknown method test.v1.Test/Echoo")),
            (echo, .echo("5")),
            (Array(echo.dropLast()) + [0xFF], .refused(.internalError, mentions: "method name is not valid UTF-8")),
            (echo, .echo("7")),
            (Array(TestService.fail.fullName.utf8), .refused(.internalError, mentions: "the server log has the cause")),
            (Array(TestService.echo.fullName.uppercased().utf8), .refused(.unimplemented, mentions: "TEST.V1.TEST/ECHO")),
            (echo, .echo("10")),
        ]
        try await withTestServer { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            #expect(try await raw.readFrame()?.0.type == .hello)
            var bytes: [UInt8] = []
            for (index, call) in calls.enumerated() {
                bytes += Self.callStart(call.name, streamID: UInt32(index + 1), text: "\(index + 1)")
            }
            try raw.write(bytes)   // in one write: the server reads them as one batch
            var answers: [UInt32: Expected] = [:]
            while answers.count < calls.count, let (header, payload) = try await raw.readFrame() {
                guard header.type == .status else { continue }
                let (status, message) = try CallStatus.parse(payload[...])
                if status.error.code == .ok {
                    answers[header.streamID] = .echo(try BinaryDecoder().decode(EchoResponse.self, from: Array(message)).text)
                } else {
                    answers[header.streamID] = .refused(status.error.code, mentions: status.error.message)
                }
            }
            for (index, call) in calls.enumerated() {
                let answer = answers[UInt32(index + 1)]
                switch (call.expected, answer) {
                case (.refused(let code, let mentions), .refused(let answeredCode, let message)?):
                    #expect(answeredCode == code, "call \(index + 1): \(message)")
                    #expect(message.contains(mentions), "call \(index + 1): \(message)")
                default:
                    #expect(answer == call.expected, "call \(index + 1)")
                }
            }
        }
    }
}

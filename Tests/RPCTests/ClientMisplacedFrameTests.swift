import Glibc
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import TestSupport
import Testing

/// A frame on a stream its type may not use ends the client's connection as a protocol violation,
/// as the server ends a client's (PROTOCOL.md section 10.1). Before, the client ignored a MESSAGE on
/// stream 0 and the call waited for its deadline (docs/HARDENING.md, the fake_server.py row).
@Suite(.timeLimit(.minutes(10))) struct ClientMisplacedFrameTests {
    enum Misplaced: CaseIterable, Sendable, CustomTestStringConvertible {
        case messageOnStreamZero, statusOnStreamZero, windowUpdateOnStreamZero, pingOnACallStream

        var testDescription: String { "\(self)" }

        func frame(callStream: UInt32) -> [UInt8] {
            switch self {
            case .messageOnStreamZero:
                FrameBuilder.frame(.message, flags: .hasMessage, streamID: 0) { $0.append(contentsOf: [0x7A, 0x7A, 0x7A]) }
            case .statusOnStreamZero:
                FrameBuilder.frame(.status, streamID: 0) { $0.append(contentsOf: CallStatus.okPayload) }
            case .windowUpdateOnStreamZero:
                FrameBuilder.frame(.windowUpdate, streamID: 0) { $0.append(contentsOf: [0, 0, 1, 0]) }
            case .pingOnACallStream:
                FrameBuilder.frame(.ping, streamID: callStream) { $0.append(contentsOf: [UInt8](repeating: 7, count: 8)) }
            }
        }

        func violation(callStream: UInt32) -> String {
            switch self {
            case .messageOnStreamZero: "message frame on stream 0"
            case .statusOnStreamZero: "status frame on stream 0"
            case .windowUpdateOnStreamZero: "windowUpdate frame on stream 0"
            case .pingOnACallStream: "PING on stream \(callStream), not 0"
            }
        }
    }

    @Test(arguments: Misplaced.allCases)
    func aFrameOnAStreamItsTypeMayNotUseEndsTheConnection(_ misplaced: Misplaced) async throws {
        let directory = try TemporaryDirectory(prefix: "misplaced")
        let listener = try SocketFileListener.open(path: directory.path("misplaced.sock"), mode: 0o600)
        defer { listener.close() }
        let served = ThreadTask { try Self.serve(misplaced, on: listener) }
        let path = listener.path
        let name = "misplaced"
        let channel = fakeServerChannel(name: name, path: path)
        defer { channel.close() }

        // The server answers the call OK right after the misplaced frame: a client that ignored it
        // would see the call succeed.
        var failure: RPCError?
        do {
            _ = try await channel.unary(TestService.echo, payload: [])
        } catch let error as RPCError {
            failure = error
        }
        let (callStream, clientClosed) = try await served.value

        #expect(failure?.code == .unavailable)
        #expect(failure?.message == "protocol violation by the server at \(name): \(misplaced.violation(callStream: callStream))")
        // The client gave the connection up: the server read its end of stream.
        #expect(clientClosed)
    }

    /// A fake server: accepts one connection, answers its HELLO, answers the first CALL_START with
    /// the misplaced frame and then a STATUS OK, and reads until the client closes. Returns the
    /// call's stream and whether the client closed within the test's wait limit.
    private static func serve(_ misplaced: Misplaced, on listener: SocketFileListener) throws -> (UInt32, Bool) {
        let socket = try acceptFakeServerConnection(on: listener, serverName: "misplacing")
        defer { socket.close() }
        var reader = FrameReader(maxFrameSize: 1 << 20)
        var sawMagic = false
        var callStream: UInt32 = 0
        while true {
            if !sawMagic { sawMagic = reader.take(Handshake.magic.count) != nil }
            while sawMagic, let event = try reader.next() {
                guard case .frame(let header, _) = event, header.type == .callStart, callStream == 0 else { continue }
                callStream = header.streamID
                try socket.writeAll(misplaced.frame(callStream: callStream)
                                    + FrameBuilder.frame(.status, flags: .hasMessage, streamID: callStream) {
                                        $0.append(contentsOf: CallStatus.okPayload)
                                    })
            }
            let count: Int
            do {
                count = try reader.fill(using: { buffer in try socket.read(into: buffer, timeout: .seconds(testWaitLimit)) })
            } catch let error as IOError where error.errno == ECONNRESET {
                return (callStream, true)
            }
            if count == 0 { return (callStream, true) }
            if count < 0 { return (callStream, false) }
        }
    }
}

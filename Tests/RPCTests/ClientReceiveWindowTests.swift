import Glibc
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import TestSupport
import Testing

/// The client holds at most a stream's window and one frame of what a server sends it, whatever
/// the server does (PROTOCOL.md section 8): a hostile server once made customerctl hold 2.8 GB by
/// flooding `customers export` without waiting for WINDOW_UPDATEs (docs/HARDENING.md).
@Suite(.timeLimit(.minutes(10))) struct ClientReceiveWindowTests {
    static let messageSize = 16 << 10
    /// Past the 256 KiB window and one frame, yet few enough that what the client leaves unread
    /// once its call is over (the reader parks without calls) fits in the socket's buffer.
    static let floodMessages = 20

    @Test func aServerFloodingAStreamPastItsWindowFailsThatCallResourceExhausted() async throws {
        let directory = try TemporaryDirectory(prefix: "flood")
        let listener = try SocketFileListener.open(path: directory.path("flood.sock"), mode: 0o600)
        defer { listener.close() }
        let window = ClientConfiguration().initialStreamWindow
        let cancelled = ThreadTask { try Self.serveFlood(on: listener) }
        let path = listener.path
        let channel = fakeServerChannel(name: "flooded", path: path)
        defer { channel.close() }

        // The first message starts the call; it is too small to return credit, and nothing more
        // is read until the server knows the client handled the whole flood, so none is returned.
        var messages = channel.serverStreaming(TestService.count, payload: []).makeAsyncIterator()
        var received: [[UInt8]] = []
        var failure: RPCError?
        do {
            if let first = try await messages.next() { received.append(first) }
        } catch let error as RPCError {
            failure = error
        }
        // The server was told to stop that stream.
        #expect(try await cancelled.value == [1])
        do {
            while failure == nil, let message = try await messages.next() { received.append(message) }
        } catch let error as RPCError {
            failure = error
        }

        #expect(failure?.code == .resourceExhausted)
        #expect(failure?.message.contains("overran the flow-control window of \(window) bytes") == true)
        // Everything that came within the window is read, and nothing past it and its last frame.
        let held = received.reduce(0) { $0 + FrameHeader.cost(ofPayload: $1.count) }
        #expect(held >= window)
        #expect(held <= window + FrameHeader.cost(ofPayload: Self.messageSize))
    }

    /// A fake server: accepts one connection, answers its HELLO, answers the first CALL_START with
    /// ``floodMessages`` MESSAGE frames and a PING written with no regard to the client's window,
    /// reads until the client cancels the stream or answers the PING (which it does after handling
    /// every frame before it), then ends the stream OK. Returns the streams the client cancelled.
    private static func serveFlood(on listener: SocketFileListener) throws -> [UInt32] {
        let socket = try acceptFakeServerConnection(on: listener, serverName: "flooding")
        defer { socket.close() }
        var reader = FrameReader(maxFrameSize: 1 << 20)
        var sawMagic = false
        var streamID: UInt32?
        while true {
            if !sawMagic { sawMagic = reader.take(Handshake.magic.count) != nil }
            while sawMagic, let event = try reader.next() {
                guard case .frame(let header, _) = event else { continue }
                switch header.type {
                case .callStart where streamID == nil:
                    streamID = header.streamID
                    try writeFlood(on: socket, streamID: header.streamID)
                case .cancel, .pong:
                    if let streamID {
                        try socket.writeAll(FrameBuilder.frame(.status, streamID: streamID) { $0.append(contentsOf: CallStatus.okPayload) })
                    }
                    return header.type == .cancel ? [header.streamID] : []
                default:
                    continue
                }
            }
            guard try reader.fill(using: { buffer in try socket.read(into: buffer, timeout: .seconds(testWaitLimit)) }) > 0 else {
                return []
            }
        }
    }

    private static func writeFlood(on socket: UnixSocket, streamID: UInt32) throws {
        let message = FrameBuilder.frame(.message, flags: .hasMessage, streamID: streamID) { buffer in
            buffer.append(contentsOf: repeatElement(0x2A, count: messageSize))
        }
        for _ in 0..<floodMessages { try socket.writeAll(message) }
        try socket.writeAll(FrameBuilder.frame(.ping, streamID: 0) { $0.append(contentsOf: [UInt8](repeating: 7, count: 8)) })
    }
}

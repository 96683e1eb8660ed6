import TestSupport
import BinaryCoding
import Glibc
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport

/// A hand-driven client speaking raw frames, for what ClientChannel never does on purpose
/// (garbage, wrong versions, ignoring deadlines, never reading).
///
/// Reads wait on a thread of their own (``onThread(_:)``): a test task blocked in poll(2) would hold
/// one of the cooperative pool's two threads, and with it the very calls the test waits for.
/// `@unchecked Sendable`: one test task drives a connection, one operation at a time; a read runs
/// on its helper thread while that task awaits it, so the reader is never touched by two threads at once.
final class RawConnection: @unchecked Sendable {
    let socket: UnixSocket
    private var reader = FrameReader(maxFrameSize: 16 * 1024 * 1024)

    /// Connects; with `versions` set, performs the handshake offering those versions and granting
    /// `initialWindow` bytes of flow-control credit per stream.
    init(path: String, handshake versions: [UInt16]? = [1], initialWindow: UInt32 = 1 << 20) throws {
        socket = try UnixSocket.connect(to: path)
        if let versions {
            try write(Handshake.magic + ClientHello(versions: versions, initialWindow: initialWindow, maxFrameSize: 1 << 24,
                                                     name: "raw").frame())
        }
    }

    /// Writes every byte (a full socket buffer makes this wait: only for tests whose server reads).
    func write(_ bytes: [UInt8]) throws { try socket.writeAll(bytes) }

    func close() { socket.close() }

    /// Half-closes: the server reads end of input, and this side can still read.
    func shutdownWrite() { _ = Glibc.shutdown(socket.fd, Int32(SHUT_WR)) }

    /// Whether the server has sent something (or closed) that was not read yet; never waits.
    func hasInput() -> Bool { socket.hasInput() }

    /// The next complete frame (header and a copy of its payload); nil when the server closed.
    func readFrame() async throws -> (FrameHeader, [UInt8])? {
        try await onThread { [self] in Result { try readFrameBlocking() } }.get()
    }

    private func readFrameBlocking() throws -> (FrameHeader, [UInt8])? {
        while true {
            if case .frame(let header, let range) = try reader.next() {
                return (header, Array(reader.payload(in: range)))
            }
            // Bounded, so a server bug fails the test instead of hanging it.
            let count = try reader.fill { try socket.read(into: $0, timeout: hangGuard) }
            if count == 0 { return nil }
        }
    }

    /// Skips frames until a STATUS arrives.
    func readStatus() async throws -> (streamID: UInt32, error: RPCError) {
        while let (header, payload) = try await readFrame() {
            if header.type == .status {
                return (header.streamID, try CallStatus.parse(payload[...]).0.error)
            }
        }
        throw RPCError(.unavailable, "connection closed before a STATUS")
    }

    /// Starts a call whose one request travels in CALL_START (unary or server-streaming).
    func startUnary<T: Encodable>(streamID: UInt32, method: MethodDescriptor, request: T,
                                  timeoutMicroseconds: UInt64 = 0) throws {
        try write(Self.unaryCallStart(streamID: streamID, method: method, request: request,
                                      timeoutMicroseconds: timeoutMicroseconds))
    }

    /// The CALL_START frame `startUnary` writes, for a test that sends several in one write.
    static func unaryCallStart<T: Encodable>(streamID: UInt32, method: MethodDescriptor, request: T,
                                             timeoutMicroseconds: UInt64 = 0) throws -> [UInt8] {
        let message = try BinaryEncoder().encode(request)
        return FrameBuilder.frame(.callStart, flags: [.hasMessage, .endStream], streamID: streamID) { payload in
            CallStartHead(timeoutMicroseconds: timeoutMicroseconds, method: method.fullName, metadata: Metadata())
                .write(into: &payload)
            payload.append(contentsOf: message)
        }
    }
}

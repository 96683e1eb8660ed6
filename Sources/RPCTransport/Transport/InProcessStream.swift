import Glibc
import RPCCore

/// One end of an in-memory duplex byte stream: a client and a server in one process talk through
/// a pair of these exactly as through a connected Unix socket pair, with no socket file and no
/// system call, and with the peer credentials the caller chose (tests of identity and permissions).
///
/// Behaves like a Unix stream socket where the RPC layer can tell: reads wait for input, a read
/// after the peer's shutdown of writing or close returns 0 once the buffered bytes are read, a
/// write after the peer stopped reading fails with EPIPE, and ``isClosedBothWays()`` is true only
/// when both directions ended.
package final class InProcessStream: ByteStream {
    private let inbound: InProcessPipe
    private let outbound: InProcessPipe
    private let peer: PeerCredentials

    private init(inbound: InProcessPipe, outbound: InProcessPipe, peer: PeerCredentials) {
        self.inbound = inbound
        self.outbound = outbound
        self.peer = peer
    }

    /// A connected pair: `client` sees `serverCredentials` as its peer and `server` sees
    /// `clientCredentials`. `capacity` is how many bytes each direction buffers before a writer waits.
    package static func pair(clientCredentials: PeerCredentials, serverCredentials: PeerCredentials,
                             capacity: Int = 256 * 1024) -> (client: InProcessStream, server: InProcessStream) {
        let toServer = InProcessPipe(capacity: max(capacity, 1))
        let toClient = InProcessPipe(capacity: max(capacity, 1))
        return (InProcessStream(inbound: toClient, outbound: toServer, peer: serverCredentials),
                InProcessStream(inbound: toServer, outbound: toClient, peer: clientCredentials))
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration?) throws(IOError) -> Int {
        guard let count = inbound.read(into: buffer, wait: timeout.map { .until(.now + $0) } ?? .forever) else {
            throw IOError(call: "poll", errno: EAGAIN)
        }
        return count
    }

    package func readIfAvailable(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int? {
        inbound.read(into: buffer, wait: .none)
    }

    package func writeAll(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
        try outbound.write(bytes)
    }

    package func shutdown(_ direction: StreamDirection) {
        switch direction {
        case .reading: inbound.end()
        case .writing: outbound.end()
        case .both:
            inbound.end()
            outbound.end()
        }
    }

    package func close() {
        shutdown(.both)
    }

    package func peerCredentials() throws(IOError) -> PeerCredentials { peer }

    package func isClosedBothWays() -> Bool { inbound.isEnded && outbound.isEnded }

    package func hasInput() -> Bool { inbound.hasInput }
}

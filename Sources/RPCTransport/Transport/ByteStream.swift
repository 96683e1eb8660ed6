import RPCCore

/// One end of a connected, ordered byte stream: what the server connection and the client
/// connection need from their transport, and nothing more. ``UnixSocket`` is the real one;
/// ``InProcessStream`` connects a client and a server in the same process without a socket file.
///
/// Every method may be called from several threads at once (one reader, writers serialised by
/// ``FrameWriter``, shutdowns from anywhere); blocking calls block the calling thread, so callers
/// run them on threads of their own, never on the Swift concurrency pool.
package protocol ByteStream: Sendable {
    /// Waits until bytes are readable, then reads what is available; 0 means the peer stopped
    /// writing (or this end stopped reading). When `timeout` passes first, throws EAGAIN.
    func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration?) throws(IOError) -> Int
    /// Reads what is available without waiting: nil when nothing is, 0 at the end of the stream.
    func readIfAvailable(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int?
    /// Writes every byte, waiting for room as long as needed; EPIPE once the peer stopped reading.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws(IOError)
    /// ``writeAll(_:)`` that gives up, throwing ETIMEDOUT, once the peer has taken no byte for
    /// `stallLimit`: a peer that reads slowly is waited for as long as it reads.
    func writeAll(_ bytes: UnsafeRawBufferPointer, givingUpAfter stallLimit: Duration) throws(IOError)
    /// Writes what the stream takes without waiting (a prefix of `bytes`, maybe none) and returns
    /// its length; EPIPE once the peer stopped reading.
    func writeAvailable(_ bytes: UnsafeRawBufferPointer) throws(IOError) -> Int
    /// Stops one or both directions: a blocked reader of this end (`.reading`) or of the peer
    /// (`.writing`) sees the end of the stream.
    func shutdown(_ direction: StreamDirection)
    /// Releases the end; called once, after every thread using it is done.
    func close()
    /// Who is at the other end (the kernel's word for a socket, the test's for an in-process pair).
    func peerCredentials() throws(IOError) -> PeerCredentials
    /// Whether both directions have ended (the peer closed, or the stream was shut both ways), as
    /// opposed to the peer only having stopped writing.
    func isClosedBothWays() -> Bool
    /// Whether a read would return at once (bytes, or the end of the stream), without reading.
    func hasInput() -> Bool
    /// The descriptor poll(2) can watch for this stream's input, if the kernel holds it (nil for an
    /// in-process pair): a thread asking about many streams asks in one ``InputPoll`` instead of one
    /// ``hasInput()`` each.
    var pollDescriptor: Int32? { get }
}

/// Which half of a ``ByteStream`` a shutdown stops.
package enum StreamDirection: Sendable {
    case reading, writing, both
}

extension ByteStream {
    package var pollDescriptor: Int32? { nil }

    /// A stream that cannot wait with a timeout waits as long as its peer does not read.
    package func writeAll(_ bytes: UnsafeRawBufferPointer, givingUpAfter stallLimit: Duration) throws(IOError) {
        try writeAll(bytes)
    }

    /// A stream that cannot tell writes nothing without waiting: its writer flushes elsewhere.
    package func writeAvailable(_ bytes: UnsafeRawBufferPointer) throws(IOError) -> Int { 0 }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        try read(into: buffer, timeout: nil)
    }

    /// `bytes` written by ``writeAll(_:)``, or by ``writeAll(_:givingUpAfter:)`` when a stall limit is given.
    package func writeAll(_ bytes: [UInt8], givingUpAfter stallLimit: Duration? = nil) throws(IOError) {
        let result: Result<Void, IOError> = bytes.withUnsafeBytes { raw in
            do throws(IOError) {
                if let stallLimit { try writeAll(raw, givingUpAfter: stallLimit) } else { try writeAll(raw) }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }
}

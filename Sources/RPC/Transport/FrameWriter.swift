import Glibc

/// Serialises the frames of many threads onto one socket, coalescing those that queue up, and owns
/// the release of the descriptor (``closeSocket()``), so nothing touches it once it may be reused.
///
/// A writer appends its frame to the pending buffer under the lock. If no thread is writing, it
/// becomes the flusher and writes everything pending with one `send`, looping while others append;
/// if a thread is already flushing, it returns at once and its frame goes out with that thread's
/// next batch. The common one-call-at-a-time path thus costs one `send` per frame and no hand-off,
/// and bursts from many handler threads leave in few system calls. What waits here is bounded by
/// the callers: at most one response per call in flight, and stream messages only within their
/// flow-control window.
final class FrameWriter: @unchecked Sendable {   // all mutable state guarded by `lock`
    private let socket: UnixSocket
    private let lock = ConditionLock()
    private var pending: [UInt8] = []
    private var spare: [UInt8] = []
    private var flushing = false
    private var failure: IOError?
    private var isClosed = false

    /// Buffers larger than this (after a big frame) are released instead of kept for reuse.
    private static let retainedCapacity = 256 * 1024

    init(socket: UnixSocket) {
        self.socket = socket
    }

    /// Appends one or more frames built by `build` and makes sure they get written.
    /// Throws the socket error once the connection has failed.
    func write(_ build: (inout [UInt8]) -> Void) throws(IOError) {
        lock.lock()
        if let failure {
            lock.unlock()
            throw failure
        }
        build(&pending)
        if flushing {
            lock.unlock()
            return
        }
        flushing = true
        while !pending.isEmpty {
            swap(&pending, &spare)
            lock.unlock()
            do {
                try socket.writeAll(spare)
            } catch {
                lock.lock()
                failure = error
                flushing = false
                pending = []
                spare = []
                lock.broadcast()
                lock.unlock()
                throw error
            }
            if spare.capacity > Self.retainedCapacity {
                spare = []
            } else {
                spare.removeAll(keepingCapacity: true)
            }
            lock.lock()
        }
        flushing = false
        lock.broadcast()
        lock.unlock()
    }

    /// Writes a complete, already built frame.
    func write(frame: [UInt8]) throws(IOError) {
        try write { $0.append(contentsOf: frame) }
    }

    /// Waits for the write in progress, then closes the socket; later writes throw EBADF and later
    /// shutdowns do nothing, so no thread (a late deadline answer, a cancel, a drain) can touch a
    /// descriptor number the kernel has handed to another connection since.
    func closeSocket() {
        lock.lock()
        while flushing { lock.wait() }
        if failure == nil { failure = IOError(call: "send", errno: EBADF) }
        pending = []
        isClosed = true
        lock.unlock()
        socket.close()
    }

    /// `shutdown(2)` the socket (wakes blocked readers, and writers for SHUT_RDWR) unless it was
    /// already closed. The lock is not held across blocking calls, so this never waits for a flush.
    func shutdown(_ how: Int32) {
        lock.withLock {
            guard !isClosed else { return }
            _ = Glibc.shutdown(socket.fd, how)
        }
    }
}

import Glibc

/// One direction of an ``InProcessStream``: bytes written by one end and read by the other, with
/// a bounded buffer so a writer that outruns its reader waits, as it would on a socket.
final class InProcessPipe: @unchecked Sendable {
    // Safety: every stored var is read and written only with `lock` held.
    private let lock = ConditionLock()
    private var bytes: [UInt8] = []
    /// Bytes before this index were read already (compacted once they are half the buffer).
    private var head = 0
    /// Set by the writer's shutdown or close, or the reader's: the reader sees the end once the
    /// buffered bytes are read, the writer gets EPIPE.
    private var ended = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    var isEnded: Bool { lock.withLock { ended } }

    /// Whether a read would return at once: bytes buffered, or the end.
    var hasInput: Bool { lock.withLock { ended || bytes.count > head } }

    func end() {
        lock.withLock {
            ended = true
            lock.broadcast()
        }
    }

    /// How long a read may wait for bytes.
    enum Wait {
        case none, forever
        case until(ContinuousClock.Instant)
    }

    /// Copies what is buffered (at most the buffer's size), after waiting for bytes as `wait` allows.
    /// Returns nil when nothing is buffered and the wait was not allowed or timed out.
    func read(into buffer: UnsafeMutableRawBufferPointer, wait: Wait) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        while bytes.count == head && !ended {
            switch wait {
            case .none: return nil
            case .forever: lock.wait()
            case .until(let deadline):
                if !lock.wait(until: deadline) && bytes.count == head && !ended { return nil }
            }
        }
        let available = bytes.count - head
        if available == 0 { return ended ? 0 : nil }
        let count = min(available, buffer.count)
        bytes.withUnsafeBytes { raw in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[head..<head + count]))
        }
        head += count
        if head == bytes.count {
            bytes.removeAll(keepingCapacity: true)
            head = 0
        } else if head > bytes.count / 2 {
            bytes.removeFirst(head)
            head = 0
        }
        lock.broadcast()
        return count
    }

    /// Appends every byte, waiting while the buffer is full; EPIPE once the direction ended.
    func write(_ source: UnsafeRawBufferPointer) throws(IOError) {
        var offset = 0
        lock.lock()
        defer { lock.unlock() }
        while offset < source.count {
            while !ended && bytes.count - head >= capacity { lock.wait() }
            guard !ended else { throw IOError(call: "send", errno: EPIPE) }
            let count = min(source.count - offset, capacity - (bytes.count - head))
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
            offset += count
            lock.broadcast()
        }
    }
}

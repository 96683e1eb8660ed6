import Glibc
import ThreadSync

/// One direction of an ``InProcessStream``: bytes written by one end and read by the other, with
/// a bounded buffer so a writer that outruns its reader waits, as it would on a socket.
final class InProcessPipe: Sendable {
    private struct Buffer {
        var bytes: [UInt8] = []
        /// Bytes before this index were read already (compacted once they are half the buffer).
        var head = 0
        /// Set by the writer's shutdown or close, or the reader's: the reader sees the end once the
        /// buffered bytes are read, the writer gets EPIPE.
        var ended = false

        var buffered: Int { bytes.count - head }
    }

    private let buffer = ConditionalState(Buffer())
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    var isEnded: Bool { buffer.withLock { $0.ended } }

    /// Whether a read would return at once: bytes buffered, or the end.
    var hasInput: Bool { buffer.withLock { $0.ended || $0.buffered > 0 } }

    func end() {
        buffer.withLock { $0.ended = true }
        buffer.broadcast()
    }

    /// How long a read may wait for bytes.
    enum Wait {
        case none, forever
        case until(ContinuousClock.Instant)
    }

    /// Copies what is buffered (at most the buffer's size), after waiting for bytes as `wait` allows.
    /// Returns nil when nothing is buffered and the wait was not allowed or timed out.
    func read(into destination: UnsafeMutableRawBufferPointer, wait: Wait) -> Int? {
        buffer.withCondition { held -> Int? in
            let readable: (Buffer) -> Bool = { $0.buffered > 0 || $0.ended }
            switch wait {
            case .none: break
            case .forever: held.wait(until: readable)
            case .until(let deadline): held.wait(until: readable, deadline: deadline)
            }
            let available = held.state.buffered
            if available == 0 { return held.state.ended ? 0 : nil }
            let count = min(available, destination.count)
            let head = held.state.head
            held.state.bytes.withUnsafeBytes { raw in
                destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[head..<head + count]))
            }
            held.state.head += count
            if held.state.head == held.state.bytes.count {
                held.state.bytes.removeAll(keepingCapacity: true)
                held.state.head = 0
            } else if held.state.head > held.state.bytes.count / 2 {
                held.state.bytes.removeFirst(held.state.head)
                held.state.head = 0
            }
            held.broadcast()
            return count
        }
    }

    /// Appends every byte, waiting while the buffer is full; EPIPE once the direction ended.
    func write(_ source: UnsafeRawBufferPointer) throws(IOError) {
        let capacity = capacity
        let ended = buffer.withCondition { held -> Bool in
            var offset = 0
            while offset < source.count {
                held.wait(until: { $0.ended || $0.buffered < capacity })
                guard !held.state.ended else { return true }
                let count = min(source.count - offset, capacity - held.state.buffered)
                held.state.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
                offset += count
                held.broadcast()
            }
            return false
        }
        if ended { throw IOError(call: "send", errno: EPIPE) }
    }
}

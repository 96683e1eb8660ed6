import RPCCore

/// Cuts a byte stream into frames without ever trusting a length it has not checked.
///
/// Bytes go in at the end (``fill(using:)`` straight from `read(2)`, or ``append(_:)``), complete
/// frames come out of ``next()``. A partial frame leaves the read position alone. A header whose
/// length exceeds `maxFrameSize` is reported as `.oversized` *before* any of its payload is buffered,
/// and its payload bytes are then discarded as they arrive, so the stream stays in sync.
package struct FrameReader {
    package enum Event: Equatable {
        /// A complete frame; its payload is `payload(in:)` of the range.
        case frame(FrameHeader, Range<Int>)
        /// A frame longer than the limit: its payload is being skipped.
        case oversized(FrameHeader)
    }

    /// The buffer a reader starts with and shrinks back to. It is most of what an idle connection
    /// costs (one reader per connection on each side, its pages touched by the first read), so it
    /// is kept at one read's minimum: 64 KiB here made an idle server connection cost ~80 KiB of
    /// RSS (`customer-bench run ping --connections 256`: 34.5 -> 54.4 MiB), 16 KiB ~31 KiB (34.7 -> 42.5).
    package static let initialSize = 16 * 1024

    /// The largest payload buffered; a server starts a connection with the small HELLO limit
    /// (``Handshake/maxClientHelloSize``) and raises it once the handshake is done.
    package var maxFrameSize: Int
    private var storage: [UInt8]
    private var start = 0
    private var end = 0
    private var skipRemaining = 0

    package init(maxFrameSize: Int) {
        self.maxFrameSize = maxFrameSize
        storage = [UInt8](repeating: 0, count: Self.initialSize)
    }

    /// The buffer's size now (what the reader holds in memory, consumed or not).
    package var bufferCapacity: Int { storage.count }

    /// Bytes received but not consumed yet.
    package var bufferedByteCount: Int { end - start }

    /// Whether ``next()`` would return a frame (or an oversized header) without more input: a
    /// server holds back the answers of calls read in one batch while this is true.
    package var hasBufferedFrame: Bool {
        guard skipRemaining == 0, end - start >= FrameHeader.size else { return false }
        let length = Int(UInt32(bigEndianBytes: storage, at: start))
        return length > maxFrameSize || end - start >= FrameHeader.size + length
    }

    /// The payload bytes of a frame returned by ``next()``, valid until the next call that adds bytes.
    package func payload(in range: Range<Int>) -> ArraySlice<UInt8> { storage[range] }

    /// Copies bytes in (tests feed input one byte at a time this way).
    package mutating func append(_ bytes: some Collection<UInt8>) {
        var pending = bytes[...]
        while !pending.isEmpty {
            let copied = fill { space in
                let count = min(space.count, pending.count)
                space.copyBytes(from: pending.prefix(count))
                return count
            }
            pending = pending.dropFirst(copied)
        }
    }

    /// Lets `read` write into the free space at the end of the buffer; `read` returns the byte count.
    /// The space holds at least the rest of the pending frame or one read chunk, whichever is smaller.
    package mutating func fill(using read: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows -> Int {
        makeRoom()
        let count = try storage.withUnsafeMutableBytes { all in
            try read(UnsafeMutableRawBufferPointer(rebasing: all[end...]))
        }
        end += max(count, 0)
        return count
    }

    /// Removes and returns `count` raw bytes (the connection preamble), or nil while fewer are buffered.
    package mutating func take(_ count: Int) -> [UInt8]? {
        guard end - start >= count else { return nil }
        defer { start += count }
        return Array(storage[start..<start + count])
    }

    /// The next complete frame, nil when more bytes are needed.
    package mutating func next() throws(ProtocolViolation) -> Event? {
        discardSkippedBytes()
        guard skipRemaining == 0, end - start >= FrameHeader.size else { return nil }
        let header = try FrameHeader.parse(storage, at: start)
        let length = Int(header.payloadLength)
        if length > maxFrameSize {
            start += FrameHeader.size
            skipRemaining = length
            discardSkippedBytes()
            return .oversized(header)
        }
        guard end - start >= FrameHeader.size + length else { return nil }
        let payloadStart = start + FrameHeader.size
        start = payloadStart + length
        return .frame(header, payloadStart..<start)
    }

    /// The header of a frame within the limit whose payload has not all arrived yet: what the reader
    /// is about to grow its buffer for (a server charges it to its peer's budget before reading on).
    package var pendingHeader: FrameHeader? {
        guard skipRemaining == 0, end - start >= FrameHeader.size,
              let header = try? FrameHeader.parse(storage, at: start) else { return nil }
        let length = Int(header.payloadLength)
        guard length <= maxFrameSize, end - start < FrameHeader.size + length else { return nil }
        return header
    }

    /// Gives up the pending frame (``pendingHeader``): its payload is skipped as it arrives, as an
    /// oversized frame's is, so the stream stays in sync. Returns its header, nil when none is pending.
    package mutating func skipPendingFrame() -> FrameHeader? {
        guard let header = pendingHeader else { return nil }
        start += FrameHeader.size
        skipRemaining = Int(header.payloadLength)
        discardSkippedBytes()
        return header
    }

    private mutating func discardSkippedBytes() {
        guard skipRemaining > 0 else { return }
        let dropped = min(skipRemaining, end - start)
        start += dropped
        skipRemaining -= dropped
    }

    /// Makes the free tail hold at least `initialSize` bytes, and for a pending frame as much of its
    /// rest as has already arrived (so a frame stays contiguous, and the buffer at most doubles per
    /// growth): compacts consumed bytes away first, grows only when that is not enough, and shrinks
    /// back once a large frame has been consumed. Growing with what arrived, not with what a header
    /// announces, keeps a peer that sends 10-byte headers of 4 MiB frames and nothing else from
    /// making the reader reserve 4 MiB each (docs/HARDENING.md).
    private mutating func makeRoom() {
        if start == end {
            start = 0
            end = 0
            if storage.count > 16 * Self.initialSize {
                storage = [UInt8](repeating: 0, count: Self.initialSize)
            }
        }
        var wantedFree = Self.initialSize
        if skipRemaining == 0, end - start >= FrameHeader.size {
            let length = Int(UInt32(bigEndianBytes: storage, at: start))
            if length <= maxFrameSize { wantedFree = max(wantedFree, min(FrameHeader.size + length - (end - start), end - start)) }
        }
        guard storage.count - end < wantedFree else { return }
        if start > 0 {
            let (from, count) = (start, end - start)
            storage.withUnsafeMutableBytes { bytes in
                guard let base = bytes.baseAddress else { return }
                base.copyMemory(from: base + from, byteCount: count)
            }
            end = count
            start = 0
        }
        if storage.count - end < wantedFree {
            // `Array(repeating:count:)` fills in one pass even in a debug build; appending
            // `repeatElement` went through generic code byte by byte there, a third of the CPU of
            // the 20 MiB upload test (perf), as every large frame regrows the buffer.
            storage += [UInt8](repeating: 0, count: wantedFree - (storage.count - end))
        }
    }
}

/// SHA-256 as specified by FIPS 180-4 (section 6.2), fed incrementally.
///
/// ```swift
/// var hasher = SHA256()
/// hasher.update(chunk1)
/// hasher.update(chunk2)
/// let digest = hasher.finalize()   // 32 bytes
/// ```
///
/// A value type: copying a hasher forks the computation. `finalize()` consumes nothing and may be
/// called on a copy to get the digest of the bytes so far while the original keeps going.
public struct SHA256: Sendable {
    /// The digest length in bytes.
    public static let digestCount = 32
    /// The block length in bytes (512 bits).
    public static let blockCount = 64

    /// The working hash value H(i), initialised per FIPS 180-4 section 5.3.3.
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    /// Bytes of an incomplete block, waiting for more input (fewer than 64).
    private var pending: [UInt8] = []
    /// Total message length in bytes so far.
    private var length: UInt64 = 0

    public init() {
        pending.reserveCapacity(Self.blockCount)
    }

    /// The digest of `bytes` in one call.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(Array(bytes))
        return hasher.finalize()
    }

    /// Adds bytes to the message.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Adds bytes to the message without copying them first.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return }
        length &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            offset = min(Self.blockCount - pending.count, bytes.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(start: start, count: offset))
            guard pending.count == Self.blockCount else { return }
            pending.withUnsafeBytes { block in
                SHA256Constants.k.withUnsafeBufferPointer { k in compress(block.baseAddress.unsafelyUnwrapped, k) }
            }
            pending.removeAll(keepingCapacity: true)
        }
        // Whole blocks straight from the caller's bytes, with the constants pinned once per call
        // rather than once per round.
        SHA256Constants.k.withUnsafeBufferPointer { k in
            while bytes.count - offset >= Self.blockCount {
                compress(start + offset, k)
                offset += Self.blockCount
            }
        }
        pending.append(contentsOf: UnsafeRawBufferPointer(start: start + offset, count: bytes.count - offset))
    }

    /// The 32-byte digest of everything added so far (the hasher itself is left as it was).
    public func finalize() -> [UInt8] {
        var copy = self
        // Padding (FIPS 180-4 section 5.1.1): a 1 bit, zeros up to 56 mod 64 bytes, then the
        // message length in bits as a 64-bit big-endian integer.
        let bitLength = length &* 8
        var padding: [UInt8] = [0x80]
        let afterMarker = (Int(length % UInt64(Self.blockCount)) + 1) % Self.blockCount
        let zeros = (56 - afterMarker + Self.blockCount) % Self.blockCount
        padding.append(contentsOf: repeatElement(0, count: zeros))
        for shift in stride(from: 56, through: 0, by: -8) {
            padding.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        let savedLength = copy.length
        copy.update(padding)
        copy.length = savedLength
        let words = [copy.state.0, copy.state.1, copy.state.2, copy.state.3,
                     copy.state.4, copy.state.5, copy.state.6, copy.state.7]
        var digest: [UInt8] = []
        digest.reserveCapacity(Self.digestCount)
        for word in words {
            digest += [UInt8(truncatingIfNeeded: word >> 24), UInt8(truncatingIfNeeded: word >> 16),
                       UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word)]
        }
        return digest
    }

    /// Processes one 64-byte block (FIPS 180-4 section 6.2.2).
    ///
    /// Written to stay fast in debug builds too (the test suite hashes tens of mebibytes): masking
    /// shifts (`&>>`, `&<<`) instead of the generic smart shifts, words loaded whole, constants from
    /// a pinned buffer; an unoptimised build otherwise hashes under 1 MB/s.
    @_optimize(speed) private mutating func compress(_ block: UnsafeRawPointer, _ k: UnsafeBufferPointer<UInt32>) {
        // The message schedule W0...W63; a tuple-free fixed buffer on the stack.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            let w = schedule.baseAddress.unsafelyUnwrapped
            let k = k.baseAddress.unsafelyUnwrapped
            var t = 0
            while t < 16 {
                w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t &* 4, as: UInt32.self))
                t &+= 1
            }
            while t < 64 {
                let w15 = w[t &- 15], w2 = w[t &- 2]
                let s0 = (w15 &>> 7 | w15 &<< 25) ^ (w15 &>> 18 | w15 &<< 14) ^ (w15 &>> 3)
                let s1 = (w2 &>> 17 | w2 &<< 15) ^ (w2 &>> 19 | w2 &<< 13) ^ (w2 &>> 10)
                w[t] = w[t &- 16] &+ s0 &+ w[t &- 7] &+ s1
                t &+= 1
            }
            var (a, b, c, d, e, f, g, h) = state
            t = 0
            while t < 64 {
                let sigma1 = (e &>> 6 | e &<< 26) ^ (e &>> 11 | e &<< 21) ^ (e &>> 25 | e &<< 7)
                let choose = (e & f) ^ (~e & g)
                let t1 = h &+ sigma1 &+ choose &+ k[t] &+ w[t]
                let sigma0 = (a &>> 2 | a &<< 30) ^ (a &>> 13 | a &<< 19) ^ (a &>> 22 | a &<< 10)
                let majority = (a & b) ^ (a & c) ^ (b & c)
                let t2 = sigma0 &+ majority
                h = g
                g = f
                f = e
                e = d &+ t1
                d = c
                c = b
                b = a
                a = t1 &+ t2
                t &+= 1
            }
            state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
                     state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
        }
    }
}

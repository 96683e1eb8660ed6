@_spi(Fuzzing) import RPCTransport
import RPCServing

/// Fuzz target (b): the FrameReader and the handshake, on the server's side and the client's.
///
/// Input: a control byte (bit 0: whose reading, server or client; bits 1-3: the size of the reads
/// the bytes arrive in; bit 4: a small frame limit, so oversized frames are skipped), then the bytes.
enum FrameFuzzTarget {
    static let chunkSizes = [1, 2, 3, 7, 10, 64, 4096, Int.max]

    static func run(_ input: UnsafeRawBufferPointer) {
        guard let control = input.first else { return }
        let side: WireFuzzing.Side = control & 1 == 0 ? .server : .client
        let chunk = chunkSizes[Int(control >> 1) & 7]
        // Inputs are at most a few KiB, so a frame above 64 KiB can only wait for more bytes; a larger
        // limit would only make the fuzzing build zero-fill megabytes (slowly, instrumented) per input.
        let maxFrameSize = control & 0x10 == 0 ? 1 << 16 : 64
        WireFuzzing.read(Array(input.dropFirst())[...], as: side, chunk: chunk, maxFrameSize: maxFrameSize)
    }

    /// The input that feeds `stream` to `side` in reads of `chunk` bytes (an index into `chunkSizes`).
    static func input(_ stream: [UInt8], to side: WireFuzzing.Side, chunk: Int, smallLimit: Bool = false) -> [UInt8] {
        let control = (side == .server ? 0 : 1) | (chunk & 7) << 1 | (smallLimit ? 0x10 : 0)
        return [UInt8(control)] + stream
    }
}

import BinaryCoding
import Testing

/// `EncodedBytes`: an answer's bytes appended to a frame where its encoder left them (a writer's
/// memory or an array) are the same bytes either way, after whatever the frame held before.
@Suite struct EncodedBytesTests {
    @Test func writtenBytesAppendAsTheirArrayDoes() throws {
        for size in [0, 1, 63, 64, 600, 70_000] {
            let node = BinaryWriterTests.node(size, number: Int64(size))
            let written = try BinaryEncoder().encodeFields(of: BinaryWriterTests.Node.self, capacity: 0) { writer in
                try node.encodeFields(to: &writer)
            }
            let expected = try BinaryEncoder().encode(node)
            for encoded in [written.encoded, EncodedBytes(expected)] {
                #expect(encoded.count == expected.count, "\(size) bytes of text")
                #expect(encoded.array == expected, "\(size) bytes of text")
                var frame: [UInt8] = [7, 8, 9]
                encoded.append(to: &frame)
                #expect(frame == [7, 8, 9] + expected, "\(size) bytes of text")
            }
        }
    }
}

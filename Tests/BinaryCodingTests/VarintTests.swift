import BinaryCoding
import Testing

@Suite struct VarintTests {
    static let encodings: [(UInt64, [UInt8])] = [
        (0, [0x00]), (1, [0x01]), (127, [0x7f]), (128, [0x80, 0x01]), (300, [0xac, 0x02]),
        (UInt64.max, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
    ]

    @Test(arguments: encodings)
    func encodesAndReadsBack(value: UInt64, expected: [UInt8]) throws {
        var bytes: [UInt8] = []
        Varint.append(value, to: &bytes)
        #expect(bytes == expected)
        #expect(Varint.size(of: value) == expected.count)
        var offset = 0
        let read = try bytes.withUnsafeBytes { buffer throws(VarintError) in try Varint.read(from: buffer, at: &offset) }
        #expect(read == value && offset == expected.count)
    }

    static let refusals: [([UInt8], VarintError)] = [
        ([], .truncated(offset: 0)),
        ([0x80, 0x80], .truncated(offset: 0)),
        ([UInt8](repeating: 0xff, count: 9) + [0x02], .overflow(offset: 0)),
        ([UInt8](repeating: 0x80, count: 11) + [0x00], .overflow(offset: 0)),
    ]

    @Test(arguments: refusals)
    func refusesBadInput(bytes: [UInt8], expected: VarintError) {
        var offset = 0
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(VarintError) in try Varint.read(from: buffer, at: &offset) } }
        #expect(throws: expected) { try result.get() }
        #expect(offset == 0)
    }

    @Test(arguments: [(Int64(0), UInt64(0)), (-1, 1), (1, 2), (-2, 3), (.max, .max - 1), (.min, .max)])
    func zigZag(signed: Int64, unsigned: UInt64) {
        #expect(ZigZag.encode(signed) == unsigned)
        #expect(ZigZag.decode(unsigned) == signed)
    }
}

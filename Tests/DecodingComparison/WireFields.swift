/// The top-level fields of a well-formed message, each its tag and value bytes, in order: for
/// tests that reorder, repeat or drop whole fields. Empty for bytes it cannot split (a test's own
/// input is well formed; a test expects the fields it needs).
public func wireFields(_ bytes: [UInt8]) -> [[UInt8]] {
    var fields: [[UInt8]] = []
    var position = 0
    func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.count, shift < 64 {
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
    while position < bytes.count {
        let start = position
        guard let tag = varint() else { return [] }
        switch tag & 7 {
        case 0: guard varint() != nil else { return [] }
        case 1: position += 8
        case 5: position += 4
        case 2:
            guard let length = varint(), length <= UInt64(bytes.count - position) else { return [] }
            position += Int(length)
        default: return []
        }
        guard position <= bytes.count else { return [] }
        fields.append(Array(bytes[start..<position]))
    }
    return fields
}

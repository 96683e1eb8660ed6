/// Fields written apart and copied into a message later: rows a read lends in one order that a
/// message lists in another (a card's activities, stepped by id and listed by date). Each row is
/// written once into a writer of its own, its bounds kept (`count` before and after), and the
/// rows' fields are copied into the message in the listed order: no record is decoded to be
/// sorted and written afterwards.
extension BinaryWriter {
    /// An empty writer with room for `capacity` bytes, whose fields go into another message
    /// through ``write(fieldsOf:_:)``.
    public init(capacity: Int) {
        self.init(capacity: capacity, encoder: BinaryEncoder())
    }

    /// Writes the fields `other` wrote in `range` (bounds ``count`` gave before and after
    /// writing them: whole fields of a message at the depth this writer is at), byte for byte.
    /// - Throws: `EncodingError.invalidValue` when `range` is not within what `other` wrote.
    public mutating func write(fieldsOf other: BinaryWriter, _ range: Range<Int>) throws {
        guard range.lowerBound >= 0, range.upperBound <= other.count else {
            throw EncodingError.invalidValue(range, EncodingError.Context(
                codingPath: [], debugDescription: "BinaryWriter: fields \(range) outside the \(other.count) bytes written"))
        }
        other.out.withBytes(range) { fields in
            out.write(atMost: fields.count) { start in
                var at = start
                WireCursor.putBytes(fields, at: &at)
                return at - start
            }
        }
    }
}

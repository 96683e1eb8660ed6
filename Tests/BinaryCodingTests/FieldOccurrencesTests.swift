import BinaryCoding
import Testing

/// `FieldOccurrences.count`: a field's top-level occurrences, each length-delimited value skipped
/// by its length, counted as far as the bytes are well formed.
@Suite struct FieldOccurrencesTests {
    @Test func countsTopLevelOccurrencesOnlyWhateverTheirValuesHold() {
        // Field 2 three times (one holding field 2 twice itself), field 1 a varint between them.
        let nested: [UInt8] = [0x12, 0x00, 0x12, 0x00]
        let bytes: [UInt8] = [0x12, 0x00, 0x08, 0x96, 0x01, 0x12, UInt8(nested.count)] + nested + [0x12, 0x01, 0x7F]
        #expect(FieldOccurrences.count(of: 2, in: bytes) == 3)
        #expect(FieldOccurrences.count(of: 1, in: bytes) == 1)
        #expect(FieldOccurrences.count(of: 3, in: bytes) == 0)
        #expect(FieldOccurrences.count(of: 2, in: []) == 0)
    }

    @Test func stopsAtTheFirstMalformedField() {
        // Two rows, then a length past the end, then a row the walk never reaches.
        let bytes: [UInt8] = [0x12, 0x00, 0x12, 0x00, 0x12, 0x05, 0x12, 0x00]
        #expect(FieldOccurrences.count(of: 2, in: bytes) == 2)
        // A group's wire type.
        #expect(FieldOccurrences.count(of: 2, in: [0x12, 0x00, 0x13, 0x12, 0x00]) == 1)
    }
}

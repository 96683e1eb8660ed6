import TestSupport
import BinaryCoding
import DecodingComparison
import Foundation
import Testing

/// The wire text of a Decimal is its `description`, whichever internal path writes it.
@Suite struct DecimalTextTests {
    static func wireText(_ value: Decimal) throws -> String? {
        let bytes = try BinaryEncoder().encode(value)
        // Top level: field 1 (0x0a), a one- or two-byte length, the text.
        guard bytes.first == 0x0a else { return nil }
        var offset = 1
        let length = try bytes.withUnsafeBytes { buffer throws(VarintError) in try Varint.read(from: buffer, at: &offset) }
        guard Int(length) == bytes.count - offset else { return nil }
        return String(decoding: bytes[offset...], as: UTF8.self)
    }

    @Test func textIsTheDescriptionForRandomValues() throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let mantissa = UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator)
            let exponent = Int.random(in: -40...40, using: &generator)
            let sign: FloatingPointSign = Bool.random(using: &generator) ? .minus : .plus
            var value = Decimal(sign: sign, exponent: exponent, significand: Decimal(mantissa))
            if Bool.random(using: &generator) {
                // A mantissa beyond 64 bits takes the other path.
                value *= Decimal(string: "12345678901234567890")!
            }
            #expect(try Self.wireText(value) == value.description)
            let decoded = try roundTrip(value)
            #expect(decoded == value && decoded.exponent == value.exponent)
        }
    }

    @Test(arguments: ["-0", "000.500", "0.0", "1", "123456789012345678901234567890.5"])
    func nonCanonicalButValidTextIsRead(text: String) throws {
        let decoded = try BinaryDecoder().decode(Decimal.self, from: [0x0a, UInt8(text.utf8.count)] + Array(text.utf8))
        #expect(decoded == Decimal(string: text)!)
        #expect(!decoded.isNaN)
    }

    @Test(arguments: ["", "-", ".5", "5.", "1.2.3", "1e5", "+1", " 1", "NaN1", "١٢"])
    func malformedTextIsRefused(text: String) throws {
        let error = try decodingError(Decimal.self, [0x0a, UInt8(text.utf8.count)] + Array(text.utf8))
        #expect(error.kind == .dataCorrupted)
    }

    /// Field 1 holding `text`, with a length of as many bytes as it takes.
    static func topLevel(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = [0x0a]
        Varint.append(UInt64(text.utf8.count), to: &bytes)
        return bytes + Array(text.utf8)
    }

    // Decimal(string:) rounds these to 38 digits or to its exponent range ("1." and 40 zeros and "1"
    // became 1): a money text was stored as another value than the one sent (found by field_sweep.py).
    @Test(arguments: ["1." + String(repeating: "0", count: 40) + "1", "1234567890123456789012345678901234567890.5",
                      "-0." + String(repeating: "0", count: 128) + "1",
                      "9" + String(repeating: "0", count: 39) + "9", "340282366920938463463374607431768211456",
                      "1" + String(repeating: "0", count: 166)])
    func textADecimalCannotHoldExactlyIsRefused(text: String) throws {
        let error = try decodingError(Decimal.self, Self.topLevel(text))
        #expect(error.kind == .dataCorrupted)
        #expect(error.context.debugDescription.contains("invalid decimal"))
    }

    @Test(arguments: [("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
                      ("-0.00000000000000000000000000000000000000000000000000012345678901234567890123456789",
                       "-0.00000000000000000000000000000000000000000000000000012345678901234567890123456789"),
                      ("0." + String(repeating: "0", count: 127) + "1", "0." + String(repeating: "0", count: 127) + "1"),
                      ("1" + String(repeating: "0", count: 164), "1" + String(repeating: "0", count: 164)),
                      ("1." + String(repeating: "0", count: 150), "1"),
                      ("-340282366920938463463374607431768211455", "-340282366920938463463374607431768211455"),
                      ("1" + String(repeating: "0", count: 165), "1" + String(repeating: "0", count: 165))])
    func textOfAMantissaBelow2To128IsReadExactly(text: String, description: String) throws {
        let decoded = try BinaryDecoder().decode(Decimal.self, from: Self.topLevel(text))
        #expect(decoded.description == description)
    }

    @Test func decodingFromARawBufferAndASlice() throws {
        let bytes = [0xff] + (try BinaryEncoder().encode(Fixtures.full))
        let fromSlice = try BinaryDecoder.generic.decode(Customer.self, from: bytes[1...])
        let fromBuffer = try bytes.withUnsafeBytes { try BinaryDecoder.generic.decode(Customer.self, from: UnsafeRawBufferPointer(rebasing: $0[1...])) }
        #expect(fromSlice == Fixtures.full && fromBuffer == Fixtures.full)
    }
}

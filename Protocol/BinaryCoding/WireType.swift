/// Protobuf's wire types, by their numbers on the wire (a tag is `fieldNumber << 3 | wireType`).
/// Types 3 and 4 (groups) and 6 and 7 are not accepted.
enum WireType: UInt8 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5

    /// The name used in error messages.
    var name: String {
        switch self {
        case .varint: return "0 (varint)"
        case .fixed64: return "1 (fixed64)"
        case .lengthDelimited: return "2 (length-delimited)"
        case .fixed32: return "5 (fixed32)"
        }
    }
}

/// Limits on field numbers, as protobuf has them.
@usableFromInline enum FieldNumber {
    /// Field numbers start at 1.
    @inlinable static var min: UInt32 { 1 }
    /// 2^29 - 1: the tag (number << 3 | wire type) must fit in 32 bits.
    @inlinable static var max: UInt32 { (1 << 29) - 1 }
    /// The field that `superEncoder()` / `superDecoder()` use: the highest number, so it never
    /// collides with a type's own keys in practice.
    static let superclass: UInt32 = max
}

/// A decoding failure found below the coder layer; the decoder adds the coding path.
struct WireFailure: Error {
    let message: String
}

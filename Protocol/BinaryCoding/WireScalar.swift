import Foundation

/// A value written as one varint, fixed64 or fixed32 payload. Such values are packed when
/// they are the elements of an array.
protocol WireScalar {
    static var wireType: WireType { get }
    /// The payload: the varint's value, or the fixed64/fixed32 bits.
    var wireBits: UInt64 { get }
    /// Rebuilds the value from a payload, refusing what the type cannot hold.
    init(wireBits: UInt64) throws(WireFailure)
}

extension WireScalar where Self: FixedWidthInteger & SignedInteger {
    static var wireType: WireType { .varint }
    var wireBits: UInt64 { ZigZag.encode(Int64(self)) }
    init(wireBits: UInt64) throws(WireFailure) {
        let wide = ZigZag.decode(wireBits)
        guard let value = Self(exactly: wide) else {
            throw WireFailure(message: "value \(wide) does not fit in \(schemaTypeName(Self.self))")
        }
        self = value
    }
}

extension WireScalar where Self: FixedWidthInteger & UnsignedInteger {
    static var wireType: WireType { .varint }
    var wireBits: UInt64 { UInt64(self) }
    init(wireBits: UInt64) throws(WireFailure) {
        guard let value = Self(exactly: wireBits) else {
            throw WireFailure(message: "value \(wireBits) does not fit in \(schemaTypeName(Self.self))")
        }
        self = value
    }
}

extension Int: WireScalar {}
extension Int8: WireScalar {}
extension Int16: WireScalar {}
extension Int32: WireScalar {}
extension Int64: WireScalar {}
extension UInt: WireScalar {}
extension UInt8: WireScalar {}
extension UInt16: WireScalar {}
extension UInt32: WireScalar {}
extension UInt64: WireScalar {}

extension Bool: WireScalar {
    static var wireType: WireType { .varint }
    var wireBits: UInt64 { self ? 1 : 0 }
    init(wireBits: UInt64) throws(WireFailure) {
        switch wireBits {
        case 0: self = false
        case 1: self = true
        default: throw WireFailure(message: "value \(wireBits) is not a bool (0 or 1)")
        }
    }
}

extension Double: WireScalar {
    static var wireType: WireType { .fixed64 }
    var wireBits: UInt64 { bitPattern }
    init(wireBits: UInt64) throws(WireFailure) { self.init(bitPattern: wireBits) }
}

extension Float: WireScalar {
    static var wireType: WireType { .fixed32 }
    var wireBits: UInt64 { UInt64(bitPattern) }
    init(wireBits: UInt64) throws(WireFailure) { self.init(bitPattern: UInt32(truncatingIfNeeded: wireBits)) }
}

/// A Date is its `timeIntervalSinceReferenceDate` (seconds since 2001-01-01T00:00:00Z) as a
/// fixed64 Double: that is the Double a Date stores, so it round-trips to the bit, which
/// seconds since 1970 would not (adding 978307200 rounds).
extension Date: WireScalar {
    static var wireType: WireType { .fixed64 }
    var wireBits: UInt64 { timeIntervalSinceReferenceDate.bitPattern }
    init(wireBits: UInt64) throws(WireFailure) {
        self.init(timeIntervalSinceReferenceDate: Double(bitPattern: wireBits))
    }
}

/// The number of an enum case (a type with an `Int` raw value): a plain varint, as protobuf writes
/// an enum, so a foreign reader sees the number itself. A negative number is its 64-bit two's
/// complement (10 bytes), as protobuf writes a negative enum value.
struct EnumNumber: WireScalar {
    let value: Int

    init(_ value: Int) {
        self.value = value
    }

    static var wireType: WireType { .varint }
    var wireBits: UInt64 { UInt64(bitPattern: Int64(value)) }
    init(wireBits: UInt64) throws(WireFailure) {
        value = Int(truncatingIfNeeded: Int64(bitPattern: wireBits))
    }
}

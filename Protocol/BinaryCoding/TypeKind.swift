import Foundation
import Synchronization

/// How the coder treats values of one type: a primitive with a fixed wire mapping (written
/// without its own Codable), an Optional or a Dictionary (which need the coder's own handling),
/// or anything else (its own `encode(to:)` / `init(from:)`).
///
/// Decided once per type and cached: the coders are called with an unspecialized `T` for every
/// nested value, where asking the runtime (`as? any EncodingSpecial`, `as? any DecodableMap.Type`)
/// cost about 300 instructions per value under callgrind (6 100 per Customer encode and decode,
/// 1 300 per health check's), and the chain of up to 19 `T.self == X.self` tests came on top for
/// every value that is none of them. A cached lookup is about 30.
enum TypeKind: UInt8 {
    case string = 1, int, int64, int32, int16, int8, uint, uint64, uint32, uint16, uint8
    case bool, double, float, date, decimal, uuid, data, url
    /// A `RawRepresentable` type with an `Int` raw value (an enum): its number as a plain varint,
    /// as protobuf writes an enum, not the zigzag varint of an `Int` field.
    case intEnum
    /// A `RawRepresentable` type with a `String` raw value (an enum): its text, as its synthesized
    /// Codable writes it; read by the decoder itself, so that a text with no case is refused in
    /// its own words (`UnknownEnumText`), not the standard library's.
    case textEnum
    /// Any `Optional<Wrapped>`.
    case optional
    /// Any `Dictionary<Key, Value>`: a protobuf map.
    case dictionary
    /// A message that writes its own fields (`DirectEncodable`); the decoder, and the encoder with
    /// `writesDirectly` off, treat it like `other`.
    case directMessage
    /// Everything else.
    case other

    /// The kind of `type`, from the process-wide cache.
    @inline(__always)
    static func of(_ type: Any.Type) -> TypeKind {
        typeKinds.kind(of: type)
    }

    /// Whether `type` reads its own fields (`DirectDecodable`), from the same cache: asking the
    /// runtime (`as? any DirectDecodable.Type`) cost about 1 300 instructions per decode.
    @inline(__always)
    static func readsItself(_ type: Any.Type) -> Bool {
        typeKinds.entry(of: type) & TypeKindCache<1>.readsItselfBit != 0
    }

    /// The kind of `type`, asked of the runtime (the uncached path).
    static func classify(_ type: Any.Type) -> TypeKind {
        let primitives: [(Any.Type, TypeKind)] = [
            (String.self, .string), (Int.self, .int), (Int64.self, .int64), (Int32.self, .int32), (Int16.self, .int16),
            (Int8.self, .int8), (UInt.self, .uint), (UInt64.self, .uint64), (UInt32.self, .uint32), (UInt16.self, .uint16),
            (UInt8.self, .uint8), (Bool.self, .bool), (Double.self, .double), (Float.self, .float), (Date.self, .date),
            (Decimal.self, .decimal), (UUID.self, .uuid), (Data.self, .data), (URL.self, .url),
        ]
        if let primitive = primitives.first(where: { $0.0 == type }) { return primitive.1 }
        if type is any RawRepresentable<Int>.Type { return .intEnum }
        if type is any RawRepresentable<String>.Type { return .textEnum }
        if type is any OptionalMarker.Type { return .optional }
        if type is any DictionaryMarker.Type { return .dictionary }
        if type is any DirectEncodable.Type { return .directMessage }
        return .other
    }
}

/// Lets `TypeKind.classify` recognise any Dictionary, whatever its Key and Value conform to (the
/// encoder's and decoder's map protocols are conditional on Encodable and Decodable).
protocol DictionaryMarker {}

extension Dictionary: DictionaryMarker {}

/// The cache behind `TypeKind.of`, shared by every encoder and decoder in the process.
let typeKinds = TypeKindCache<1024>()

/// A fixed-size, insert-only hash table from type to `TypeKind` whose lookups only load: encoders
/// run on many threads at once, and a lock (or any shared write) per nested value would make them
/// contend on one cache line. Open addressing with a short linear probe; a slot, once claimed by a
/// type, never changes owner, so a key seen in a slot always belongs to it. When the probe finds
/// no room (more types than the table holds, in practice never), the kind is computed uncached:
/// slower, never wrong. Type metadata is never deallocated, so its address is a stable key.
final class TypeKindCache<let capacity: Int>: Sendable {
    /// How many slots a lookup looks at before giving up on caching.
    private static var probes: Int { Swift.min(16, capacity) }

    /// The metadata address of the type owning each slot; 0 for a free slot.
    private let keys: InlineArray<capacity, Atomic<UInt>>
    /// The entry of each slot's type (its kind, and `readsItselfBit`); 0 while its inserter has not
    /// stored it yet.
    private let kinds: InlineArray<capacity, Atomic<UInt8>>

    init() {
        keys = InlineArray { _ in Atomic(0) }
        kinds = InlineArray { _ in Atomic(0) }
    }

    /// Set in an entry beside the kind when the type is `DirectDecodable`.
    static var readsItselfBit: UInt8 { 0x80 }

    /// The kind of `type`: a lookup, or on the first time (per slot) a classification and insert.
    @inline(__always)
    func kind(of type: Any.Type) -> TypeKind {
        TypeKind(rawValue: entry(of: type) & ~Self.readsItselfBit) ?? .other
    }

    /// What the cache holds for a type: its kind's raw value, with `readsItselfBit`.
    private static func classify(_ type: Any.Type) -> UInt8 {
        TypeKind.classify(type).rawValue | (type is any DirectDecodable.Type ? readsItselfBit : 0)
    }

    /// The entry of `type`: a lookup, or on the first time (per slot) a classification and insert.
    func entry(of type: Any.Type) -> UInt8 {
        let key = UInt(bitPattern: ObjectIdentifier(type))
        // Fibonacci hashing: metadata addresses share their low bits (alignment) and high bits.
        var slot = Int(truncatingIfNeeded: ((key &* 0x9E37_79B9_7F4A_7C15) >> 32) % UInt(capacity))
        for _ in 0..<Self.probes {
            let owner = keys[slot].load(ordering: .acquiring)
            if owner == key {
                // 0 (not stored yet by a racing inserter) is no entry: classify it here too.
                let entry = kinds[slot].load(ordering: .acquiring)
                return entry != 0 ? entry : Self.classify(type)
            }
            if owner == 0 {
                let entry = Self.classify(type)
                let (claimed, current) = keys[slot].compareExchange(expected: 0, desired: key, ordering: .acquiringAndReleasing)
                if claimed {
                    kinds[slot].store(entry, ordering: .releasing)
                    return entry
                }
                if current == key { return entry }  // another thread inserted the same type meanwhile
            }
            slot = slot + 1 == capacity ? 0 : slot + 1
        }
        return Self.classify(type)
    }

    /// How many slots are taken (for tests).
    var count: Int {
        var taken = 0
        for slot in 0..<capacity where keys[slot].load(ordering: .relaxed) != 0 { taken += 1 }
        return taken
    }
}

import DisplayText

/// Key/value pairs sent with a call (request metadata) or with its status (trailers).
///
/// Keys are lower-case ASCII (`a-z`, `0-9`, `-`, `_`, `.`); ``add(_:_:)`` lower-cases them.
/// A key may appear more than once; the subscript returns the first value.
/// Wire limits (checked when a call is sent or received): ``maxEntries`` entries, keys of at most
/// ``maxKeyLength`` bytes, and at most ``maxTotalSize`` bytes of keys and values together.
public struct Metadata: Sendable, Hashable, Sequence {
    public static let maxEntries = 64
    public static let maxKeyLength = 64
    public static let maxTotalSize = 8 * 1024

    private var pairs: [Pair]

    package struct Pair: Sendable, Hashable {
        package var key: String
        package var value: String
    }

    public init() {
        pairs = []
    }

    public init(_ pairs: [(String, String)]) {
        self.pairs = []
        for (key, value) in pairs { add(key, value) }
    }

    /// The first value stored under `key` (compared lower-case).
    public subscript(key: String) -> String? {
        // Most calls carry none: no lower-casing for them (~200 instructions a call, callgrind).
        guard !pairs.isEmpty else { return nil }
        let key = key.lowercased()
        return pairs.first { $0.key == key }?.value
    }

    /// Appends a pair; the key is lower-cased.
    public mutating func add(_ key: String, _ value: String) {
        pairs.append(Pair(key: key.lowercased(), value: value))
    }

    /// Stores `value` as the only value under `key` (lower-cased): every earlier pair of that key
    /// is removed, so a key that names one thing (who a call acts for) cannot end up named twice.
    public mutating func set(_ key: String, _ value: String) {
        let key = key.lowercased()
        pairs.removeAll { $0.key == key }
        pairs.append(Pair(key: key, value: value))
    }

    /// Appends a pair exactly as it came off the wire, so ``validate()`` refuses a key that breaks
    /// the rules (an upper-case one included) instead of silently repairing it.
    package mutating func addReceived(_ key: String, _ value: String) {
        pairs.append(Pair(key: key, value: value))
    }

    public var isEmpty: Bool { pairs.isEmpty }

    public var count: Int { pairs.count }

    public func makeIterator() -> some IteratorProtocol<(key: String, value: String)> {
        pairs.lazy.map { (key: $0.key, value: $0.value) }.makeIterator()
    }

    /// Checks the documented limits; the error names the first offending key.
    package func validate() throws(RPCError) {
        guard pairs.count <= Self.maxEntries else {
            throw RPCError(.invalidArgument, "metadata has \(pairs.count) entries, the limit is \(Self.maxEntries)")
        }
        var total = 0
        for pair in pairs {
            guard !pair.key.isEmpty, pair.key.utf8.count <= Self.maxKeyLength,
                  pair.key.utf8.allSatisfy(Self.isKeyByte) else {
                throw RPCError(.invalidArgument,
                               "metadata key \(TerminalText.quoted(pair.key, quote: "\"")) must be 1 to \(Self.maxKeyLength) bytes of a-z 0-9 - _ .")
            }
            total += pair.key.utf8.count + pair.value.utf8.count
        }
        guard total <= Self.maxTotalSize else {
            throw RPCError(.invalidArgument, "metadata is \(total) bytes, the limit is \(Self.maxTotalSize)")
        }
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."): true
        default: false
        }
    }
}

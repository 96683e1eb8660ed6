import Foundation
import RPCCore
import Synchronization

/// The request metadata that makes a write safe to retry (Protocol/PROTOCOL.md, "Idempotency keys").
///
/// A write answered DEADLINE_EXCEEDED or lost with its connection may still have committed; sent
/// again with the same key by the same user within 24 hours, it is not done twice: the server
/// answers with the first call's answer.
public enum IdempotencyKey {
    /// The metadata key.
    public static let metadataKey = "idempotency-key"
    /// The longest key, in characters.
    public static let maxLength = 128
    /// How often the client library sends a keyed write that keeps failing UNAVAILABLE, in all.
    public static let attempts = 3
    /// The pause before the second attempt; it grows by as much before each further one.
    public static let retryPause = Duration.milliseconds(50)

    /// A new key, unique in practice everywhere: a random UUID drawn once per process, then a
    /// counter (at most 50 characters). Not a UUID per key: Foundation draws one with getrandom(2)
    /// each time, 13 µs on the development VM, and every write of the client library takes a key.
    public static func generate() -> String {
        processPrefix + "-" + String(counter.add(1, ordering: .relaxed).newValue, radix: 36)
    }

    private static let processPrefix = UUID().uuidString.lowercased()
    private static let counter = Atomic<UInt64>(0)

    /// Why `key` is not a valid key, or nil when it is: 1 to ``maxLength`` characters, each an
    /// ASCII letter, digit, `-`, `_`, `.` or `:`, so any client can spell it and a log can print it.
    public static func problem(with key: String) -> String? {
        let bytes = key.utf8
        guard (1...maxLength).contains(bytes.count) else {
            return "must be 1 to \(maxLength) characters, got \(bytes.count)"
        }
        guard bytes.allSatisfy(isKeyByte) else {
            return "may contain only the letters A-Z and a-z, digits, '-', '_', '.' and ':'"
        }
        return nil
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
             UInt8(ascii: ":"): true
        default: false
        }
    }
}

extension CallOptions {
    /// The call's idempotency key (metadata `idempotency-key`); setting it replaces any other.
    public var idempotencyKey: String? {
        get { metadata[IdempotencyKey.metadataKey] }
        set {
            var kept = Metadata(metadata.filter { $0.key != IdempotencyKey.metadataKey }.map { ($0.key, $0.value) })
            if let newValue { kept.add(IdempotencyKey.metadataKey, newValue) }
            metadata = kept
        }
    }
}

import Synchronization

/// The conformance of each type asked for so far to one protocol (``DirectDecodable``,
/// ``DirectEncodable``), asked of the runtime once per type.
///
/// Asking the runtime on every call (`as? any DirectDecodable.Type`, `as? any DirectEncodable`)
/// cost about 2 300 instructions per decode or encode under callgrind. Callers ask only for types
/// that `TypeKind`'s cache has already marked as conforming, so only the hot messages come here,
/// once per top-level decode or encode: on the server, from every connection thread at once. A
/// lookup therefore only loads, as `TypeKindCache`'s do: with a `Mutex` here, 16 connections' gets
/// contended on it for about half the server's futex calls (`perf record -e
/// syscalls:sys_enter_futex`, customer-bench at 16 connections).
///
/// `@unchecked Sendable`: a slot's value is written once, by the thread whose compare-exchange
/// claimed the slot's key (0 to the type's key with the low bit set: pending), before that thread
/// publishes the key with a releasing store; a value is read only after an acquiring load saw its
/// published key, and never written again. `Conformance` is always an existential metatype
/// (`any P.Type`), which refers to type metadata the runtime never changes or frees.
final class ConformanceTable<Conformance>: @unchecked Sendable {
    /// Far more than the hot messages of any API; a type that finds no slot is asked every time:
    /// slower, never wrong.
    private static var capacity: Int { 64 }

    /// The metadata address of each slot's type (type metadata is never freed, so the address is
    /// a stable key), with the low bit set while its value is being stored; 0 for a free slot.
    private let keys: InlineArray<64, Atomic<UInt>>
    private let values: UnsafeMutablePointer<Conformance?>

    init() {
        keys = InlineArray { _ in Atomic(0) }
        values = .allocate(capacity: Self.capacity)
        values.initialize(repeating: nil, count: Self.capacity)
    }

    deinit {
        values.deinitialize(count: Self.capacity)
        values.deallocate()
    }

    /// `type`'s conformance: from the table, else from `ask` (kept when found).
    func conformance(of type: Any.Type, asking ask: (Any.Type) -> Conformance?) -> Conformance? {
        let key = UInt(bitPattern: ObjectIdentifier(type))
        // Fibonacci hashing: metadata addresses share their low bits (alignment) and high bits.
        var slot = Int(truncatingIfNeeded: ((key &* 0x9E37_79B9_7F4A_7C15) >> 32) % UInt(Self.capacity))
        for _ in 0..<Self.capacity {
            let owner = keys[slot].load(ordering: .acquiring)
            if owner == key { return values[slot] }
            if owner == key | 1 { return ask(type) }  // another thread is storing it right now
            if owner == 0 {
                guard let conformance = ask(type) else { return nil }
                if keys[slot].compareExchange(expected: 0, desired: key | 1, ordering: .acquiringAndReleasing).exchanged {
                    values[slot] = conformance
                    keys[slot].store(key, ordering: .releasing)
                }
                return conformance
            }
            slot = slot + 1 == Self.capacity ? 0 : slot + 1
        }
        return ask(type)
    }
}

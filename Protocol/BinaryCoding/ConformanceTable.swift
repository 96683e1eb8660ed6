import Synchronization

/// The conformance of each type asked for so far to one protocol (``DirectDecodable``,
/// ``DirectEncodable``), asked of the runtime once per type.
///
/// Asking the runtime on every call (`as? any DirectDecodable.Type`, `as? any DirectEncodable`)
/// cost about 2 300 instructions per decode or encode under callgrind. Callers ask only for types
/// that `TypeKind`'s lock-free cache has already marked as conforming, so only the hot messages
/// take this lock, once per top-level decode or encode.
final class ConformanceTable<Conformance>: Sendable {
    /// A conformance, to keep in the shared table. `@unchecked Sendable`: `Conformance` is always
    /// an existential metatype (`any P.Type`), which refers to type metadata the runtime never
    /// changes or frees.
    private struct Entry: @unchecked Sendable {
        let conformance: Conformance
    }

    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    /// `type`'s conformance: from the table, else from `ask` (kept when found).
    func conformance(of type: Any.Type, asking ask: (Any.Type) -> Conformance?) -> Conformance? {
        let id = ObjectIdentifier(type)
        if let known = entries.withLock({ $0[id] }) { return known.conformance }
        guard let conformance = ask(type) else { return nil }
        entries.withLock { $0[id] = Entry(conformance: conformance) }
        return conformance
    }
}

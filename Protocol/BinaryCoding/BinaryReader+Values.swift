import Foundation

// The readers behind `BinaryReader`'s public shims: by field number, non-generic (so a call from
// another module is a direct call, with no metadata or witness table), returning nil for an
// absent field and throwing a `FieldFault` the shim words with its key.

extension BinaryReader {
    // MARK: Scalars and length-delimited primitives

    /// The last occurrence of field `number`, whose `lastEntry(_:)` is `entry`, as an `S`.
    @inline(__always)
    private func scalar<S: WireScalar>(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> S? {
        guard let found = occurrence(number, entry: entry) else { return nil }
        return try Self.scalar(found)
    }

    @inline(__always)
    private static func scalar<S: WireScalar>(_ entry: FieldEntry, element: Int? = nil) throws(FieldFault) -> S {
        guard entry.wireType == S.wireType else {
            throw .mismatch(S.self, entry, expected: S.wireType, element: element)
        }
        do throws(WireFailure) {
            return try S(wireBits: entry.value)
        } catch {
            throw .corrupted("field \(entry.number): \(error.message) at byte offset \(entry.offset)", element: element)
        }
    }

    /// The last occurrence of field `number`, whose `lastEntry(_:)` is `entry`, as a `B`.
    @inline(__always)
    private func bytes<B: WireBytes>(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> B? {
        guard let found = occurrence(number, entry: entry) else { return nil }
        return try bytes(found)
    }

    /// A string field's occurrence: `bytes(_:element:)` for `String`, calling its
    /// `init(wireContent:)` directly (the generic `bytes` called it through the `WireBytes`
    /// witness table, its result through memory: docs/performance/HISTORY.md "decode32").
    @inline(__always)
    private func text(_ entry: FieldEntry, element: Int? = nil) throws(FieldFault) -> String {
        guard entry.wireType == .lengthDelimited else {
            throw .mismatch(String.self, entry, expected: .lengthDelimited, element: element)
        }
        // The first pass checked that the content lies inside the message.
        let content = UnsafeRawBufferPointer(
            start: buffer.baseAddress.map { $0 + entry.offset }, count: Int(truncatingIfNeeded: entry.value))
        do throws(WireFailure) {
            return try String(wireContent: content)
        } catch {
            throw .corrupted("field \(entry.number): \(error.message) at byte offset \(entry.offset)", element: element)
        }
    }

    @inline(__always)
    private func bytes<B: WireBytes>(_ entry: FieldEntry, element: Int? = nil) throws(FieldFault) -> B {
        guard entry.wireType == .lengthDelimited else {
            throw .mismatch(B.self, entry, expected: .lengthDelimited, element: element)
        }
        do throws(WireFailure) {
            // The first pass checked that the content lies inside the message.
            let content = UnsafeRawBufferPointer(
                start: buffer.baseAddress.map { $0 + entry.offset }, count: Int(truncatingIfNeeded: entry.value))
            return try B(wireContent: content)
        } catch {
            throw .corrupted("field \(entry.number): \(error.message) at byte offset \(entry.offset)", element: element)
        }
    }

    @usableFromInline func int64(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> Int64? { try scalar(number, entry) }
    @usableFromInline func int32(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> Int32? { try scalar(number, entry) }
    @usableFromInline func int16(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> Int16? { try scalar(number, entry) }
    @usableFromInline func int8(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> Int8? { try scalar(number, entry) }
    @usableFromInline func int(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> Int? { try scalar(number, entry) }
    @usableFromInline func uint64(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> UInt64? { try scalar(number, entry) }
    @usableFromInline func uint32(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> UInt32? { try scalar(number, entry) }
    @usableFromInline func uint16(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> UInt16? { try scalar(number, entry) }
    @usableFromInline func uint8(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> UInt8? { try scalar(number, entry) }
    @usableFromInline func uint(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> UInt? { try scalar(number, entry) }
    @usableFromInline func bool(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> Bool? { try scalar(number, entry) }
    @usableFromInline func double(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> Double? { try scalar(number, entry) }
    @usableFromInline func float(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> Float? { try scalar(number, entry) }
    @usableFromInline func date(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> Date? { try scalar(number, entry) }
    @usableFromInline func string(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> String? {
        guard let found = occurrence(number, entry: entry) else { return nil }
        return try text(found)
    }
    @usableFromInline func data(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> Data? { try bytes(number, entry) }
    @usableFromInline func uuid(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> UUID? { try bytes(number, entry) }
    @usableFromInline func url(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> URL? { try bytes(number, entry) }
    @usableFromInline func decimal(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> Decimal? { try bytes(number, entry) }

    /// The number of an enum case (ENCODING.md §2): a plain varint.
    @usableFromInline func enumNumber(_ number: UInt32, _ entry: Int32) throws(FieldFault) -> Int? {
        let found: EnumNumber? = try scalar(number, entry)
        return found?.value
    }

    // MARK: Messages

    /// Where field `number` holds a nested message.
    @usableFromInline
    enum MessageField: ~Copyable {
        case absent
        /// Several occurrences, which merge: the generic decoder reads them.
        case merged
        case single(BinaryReader)
        /// One occurrence with the content of the earlier field it was compared with.
        case sameAsEarlier
    }

    /// The reader of the message in field `number`; `type` names it in a fault. Given `earlier`,
    /// a field read before whose value the caller keeps, a single occurrence with its content is
    /// `.sameAsEarlier` instead (one more look-up, and no reader made when it is).
    @usableFromInline
    func message(_ number: UInt32, _ type: Any.Type, sameAs earlier: UInt32? = nil) throws(FieldFault) -> MessageField {
        guard let found = occurrence(number) else { return .absent }
        guard found.single else { return .merged }
        guard found.entry.wireType == .lengthDelimited else {
            throw .mismatch(type, found.entry, expected: .lengthDelimited)
        }
        if let earlier, hasSameContent(found.entry, as: earlier) { return .sameAsEarlier }
        return .single(try reader(of: found.entry, reportingOffset: false))
    }

    /// The reader of the next element of a repeated message field, nil after the last; moves
    /// `occurrences` on.
    @usableFromInline
    func nextMessage(_ number: UInt32, _ occurrences: inout Occurrences, _ type: Any.Type) throws(FieldFault) -> BinaryReader? {
        guard let entry = next(number, &occurrences) else { return nil }
        let element = occurrences.element
        occurrences.element += 1
        guard entry.wireType == .lengthDelimited else {
            throw .mismatch(type, entry, expected: .lengthDelimited, element: element)
        }
        return try reader(of: entry, reportingOffset: true, element: element)
    }

    // MARK: Repeated primitives

    /// A repeated `String` field: one element per occurrence; absent is empty.
    @usableFromInline
    func strings(_ number: UInt32) throws(FieldFault) -> [String] {
        var elements: [String] = []
        elements.reserveCapacity(occurrenceCount(number))
        var occurrences = occurrences(of: number)
        while let entry = next(number, &occurrences) {
            elements.append(try text(entry, element: elements.count))
        }
        return elements
    }

    /// A repeated scalar field: packed runs and single occurrences, mixed, in order (ENCODING.md
    /// §5). `accept` refuses an element with a fault (an enum number without a case).
    private func scalars<S: WireScalar>(
        _ number: UInt32, _ accept: (S, Int) throws(FieldFault) -> Void
    ) throws(FieldFault) {
        var occurrences = occurrences(of: number)
        var element = 0
        while let entry = next(number, &occurrences) {
            guard entry.wireType == .lengthDelimited else {
                try accept(Self.scalar(entry, element: element), element)
                element += 1
                continue
            }
            var position = entry.offset
            while position < entry.end {
                let offset = position
                let bits: UInt64
                do throws(WireFailure) {
                    try budget.pointee.takePackedElement(at: offset)
                    bits = try MessageIndex.packed(buffer, &position, entry.end, S.wireType)
                } catch {
                    throw .corrupted("field \(number), packed: \(error.message)", element: element)
                }
                let value: S
                do throws(WireFailure) {
                    value = try S(wireBits: bits)
                } catch {
                    throw .corrupted("field \(number): \(error.message) at byte offset \(offset)", element: element)
                }
                try accept(value, element)
                element += 1
            }
        }
    }

    private func scalarArray<S: WireScalar>(_ number: UInt32) throws(FieldFault) -> [S] {
        var elements: [S] = []
        try scalars(number) { (value: S, _) throws(FieldFault) in elements.append(value) }
        return elements
    }

    @usableFromInline func int64s(_ number: UInt32) throws(FieldFault) -> [Int64] { try scalarArray(number) }
    @usableFromInline func ints(_ number: UInt32) throws(FieldFault) -> [Int] { try scalarArray(number) }

    /// A repeated enum field's numbers, packed as integers are; the first that `isCase` refuses
    /// is a fault naming `type`.
    @usableFromInline
    func enumNumbers(_ number: UInt32, _ type: Any.Type, isCase: (Int) -> Bool) throws(FieldFault) -> [Int] {
        var elements: [Int] = []
        try scalars(number) { (value: EnumNumber, element) throws(FieldFault) in
            guard isCase(value.value) else {
                throw .corrupted(unknownEnumMessage(type, number: value.value, field: nil, keyName: ""), element: element)
            }
            elements.append(value.value)
        }
        return elements
    }
}

import Foundation

/// Reads the fields of one message for a ``DirectDecodable`` type: what a keyed container of the
/// generic decoder reads for a value of that Swift type under that key (Protocol/ENCODING.md §2-8),
/// with the same errors, and no allocation but the values themselves.
///
/// Made by one pass over the message that checks every tag and length (the generic decoder's
/// `MessageIndex.scan`, sharing its reading of a field) and notes, in tables on the decoder's stack,
/// where the value of the last occurrence of each field number below 32 begins, its wire type, and
/// how often it occurs. A scalar is then read from its last occurrence (the last one wins) without
/// reading its tag again; a repeated field walks on from its first, found by walking from the start
/// when the field occurs more than once. Unknown fields are
/// noted like any other and never read, which is how they are skipped. A message field that occurs
/// more than once (its occurrences merge) and the types read by ``decodeCodable(_:_:)`` go through
/// the generic decoder, which is the rule for both.
///
/// Noncopyable, so a message's `init(fields:)` borrows its reader rather than copying it. The
/// public methods are inlinable shims, specialised for each key type in the caller's module
/// (BinaryReader+Decoding.swift): they take the key's field number and call the non-generic
/// readers by number (BinaryReader+Values.swift).
public struct BinaryReader: ~Copyable {
    /// Field numbers below this have a slot in the tables; a larger one is found by walking the
    /// message (no hot message has one).
    @inlinable static var tableSize: Int { 32 }
    /// How many levels of nesting have tables: a message this deep or deeper is read by walking
    /// it, as a field number past the tables is (the hot messages nest 5 deep, the card's).
    static var tableLevels: Int { Tables.count / tableEntries }
    /// Entries of one level's tables: the last occurrences and the counts.
    static var tableEntries: Int { 2 * tableSize }
    /// The tables of every level, as a value for the stack of `BinaryDecoder.decode`: 8 levels
    /// (`tableLevels`) of `tableEntries`, the count a literal as a generic argument must be.
    typealias Tables = InlineArray<512, Int32>

    let buffer: UnsafeRawBufferPointer
    /// The message: `start..<end` of `buffer`.
    let start: Int
    let end: Int
    /// Nesting depth: 0 for the top-level message.
    let depth: Int
    /// Its `maxDepth`, and `userInfo` for the values read through `Codable`: the decoder on the
    /// stack of `BinaryDecoder.decode`, which outlives every reader as `scratch` does (a reader is
    /// noncopyable and only lent to `init(fields:)`, so none escapes the call). A copy of the
    /// decoder in each reader retained and released its `userInfo` per nested message.
    let decoder: UnsafePointer<BinaryDecoder>
    /// What the decoding may still take (its limits), on the same stack, shared by every reader
    /// and by the generic decoder's nodes a reader hands a field to.
    let budget: UnsafeMutablePointer<DecodingBudget>
    /// The tables of every level (`tableLevels` × `tableEntries`), on the stack of
    /// `BinaryDecoder.decode`: one reader of each level is alive at a time (a message's reader
    /// makes its nested messages' readers one after the other), so each level has one. How many
    /// times each field number occurs, then where its last occurrence's value begins (`Stored`:
    /// the offset after its tag and its wire type; not set when it does not occur: only the counts
    /// are cleared for each message, 128 bytes, and a field's entry is written once per occurrence
    /// with no test. A look-up that read the tag again cost ~10 instructions more, ~2 000 a card
    /// and ~15 000 a page of 50 under callgrind: docs/performance/HISTORY.md "card30". A table of first occurrences
    /// cost a third table to clear and a test per field; a field that occurs more than once, the
    /// only one whose first occurrence is not its last, is a repeated one, whose walk over its
    /// occurrences starts once per decode.) 32-bit: `BinaryDecoder` reads a buffer over 2 GiB through the
    /// generic path. (Tables in the reader itself, `InlineArray`s, were copied whole at every
    /// look-up.)
    let scratch: UnsafeMutableBufferPointer<Int32>
    /// This level's tables in `scratch`; nil past `tableLevels`.
    @usableFromInline let table: UnsafeMutablePointer<Int32>?

    /// Reads the structure of the message in `start..<end`, taking each field's occurrence from
    /// `budget`; throws what `MessageIndex.scan` throws.
    init(
        _ buffer: UnsafeRawBufferPointer, from start: Int, to end: Int, depth: Int,
        decoder: UnsafePointer<BinaryDecoder>, budget: UnsafeMutablePointer<DecodingBudget>,
        scratch: UnsafeMutableBufferPointer<Int32>
    ) throws(WireFailure) {
        self.buffer = buffer
        self.start = start
        self.end = end
        self.depth = depth
        self.decoder = decoder
        self.budget = budget
        self.scratch = scratch
        let entries = Self.tableEntries
        guard let base = scratch.baseAddress, depth < scratch.count / entries else {
            table = nil
            var position = start
            while position < end {
                let tagOffset = position
                try budget.pointee.takeOccurrence(MessageIndex.field(buffer, &position, end).number, at: tagOffset)
            }
            return
        }
        let table = base + depth * entries
        table.update(repeating: 0, count: Self.tableSize)
        self.table = table
        // Counted in a local, written back once: the budget's memory is not reread per field.
        var left = budget.pointee.occurrences
        // Every field takes a byte at least (two: a tag and a value, or an empty content's
        // length): with as many occurrences left as the message has bytes, none of its fields can
        // find the budget spent, and the pass does not test it per field (the test and the branch
        // were ~2 of a field's ~40 instructions, docs/performance/HISTORY.md "card31").
        if left >= end - start {
            try Self.firstPass(buffer, from: start, to: end, into: table, left: &left, budget: budget, counting: false)
        } else {
            try Self.firstPass(buffer, from: start, to: end, into: table, left: &left, budget: budget, counting: true)
        }
        budget.pointee.occurrences = left
    }

    /// The first pass over the message in `start..<end`: each field's tag, varints and length
    /// checked, its count and its last occurrence's entry written into `table`, one occurrence
    /// taken from `left` (the budget's), refused with the budget's error when none is left if
    /// `counting` (inlined twice, so the test is in one loop only).
    ///
    /// A field of the common shape (`commonField`) has a number with a slot (1 to 31), so it is
    /// written with no test of its number; the rest take `MessageIndex.field`, as before.
    @inline(__always)
    private static func firstPass(
        _ buffer: UnsafeRawBufferPointer, from start: Int, to end: Int, into table: UnsafeMutablePointer<Int32>,
        left: inout Int, budget: UnsafeMutablePointer<DecodingBudget>, counting: Bool
    ) throws(WireFailure) {
        let size = tableSize
        var position = start
        while position < end {
            let tagOffset = position
            if let quick = commonField(buffer, position, end) {
                if counting, left <= 0 {
                    throw budget.pointee.occurrencesExceeded(UInt32(truncatingIfNeeded: quick.number), at: tagOffset)
                }
                left &-= 1
                position = quick.next
                table[quick.number] &+= 1
                table[size + quick.number] = Int32(truncatingIfNeeded: quick.stored)
            } else {
                let entry = try MessageIndex.field(buffer, &position, end)
                if counting, left <= 0 { throw budget.pointee.occurrencesExceeded(entry.number, at: tagOffset) }
                left &-= 1
                let number = Int(entry.number)
                guard number < size else { continue }
                table[number] &+= 1
                table[size + number] = Int32(truncatingIfNeeded: Stored.make(
                    valueAt: afterTag(buffer, tagOffset, end), entry.wireType.rawValue))
            }
        }
    }

    /// The field at `position` when it has the shape of nearly every field: a tag of one or two
    /// bytes of a number with a slot in the tables (1 to 31), and a varint of at most nine bytes
    /// (below 2^63, so it cannot overflow), a fixed64, a fixed32, or a length of one or two bytes
    /// that fits before `end`. Its number, its table
    /// entry (`Stored`) and where the next field begins; nil for anything else, which `MessageIndex.field` then reads (and
    /// refuses with its message), so both accept the same fields. Reading those checks and
    /// messages for every field cost as much as the rest of the first pass.
    ///
    /// The wire types are tested in the order of how often they occur (length-delimited, varint,
    /// the fixed ones) and the offsets added without overflow checks (a buffer read here is under
    /// 2^28 bytes, `canRead`): the first passes −2.6 % (LLVM still makes the tests a jump table,
    /// docs/performance/HISTORY.md "decode32").
    @inline(__always)
    private static func commonField(
        _ buffer: UnsafeRawBufferPointer, _ position: Int, _ end: Int
    ) -> (number: Int, stored: Int, next: Int)? {
        var at = position
        // A number with a slot (1 to 31) in one test: a tag from 8 to 255.
        guard let tag = shortVarint(buffer, &at, end), UInt(bitPattern: tag &- 8) < UInt(tableSize * 8 - 8) else {
            return nil
        }
        let number = tag &>> 3
        let wireType = tag & 7
        let stored = Stored.make(valueAt: at, wireType)
        if wireType == 2 {
            guard let length = shortVarint(buffer, &at, end), length <= end &- at else { return nil }
            return (number, stored, at &+ length)
        }
        if wireType == 0 {
            let last = Swift.min(end, at &+ 9)
            while at < last {
                if buffer[at] < 0x80 { return (number, stored, at &+ 1) }
                at &+= 1
            }
            return nil
        }
        let size = wireType == 1 ? 8 : wireType == 5 ? 4 : Int.max
        guard size <= end &- at else { return nil }
        return (number, stored, at &+ size)
    }

    /// Where the value of the field whose tag `MessageIndex.field` read at `tagOffset` begins:
    /// past the tag's varint (for a length-delimited field that read returns where its content
    /// begins, past the length, so the tag is skipped here; only for fields of a rarer shape).
    private static func afterTag(_ buffer: UnsafeRawBufferPointer, _ tagOffset: Int, _ end: Int) -> Int {
        var at = tagOffset
        while at < end {
            let byte = buffer[at]
            at += 1
            if byte < 0x80 { break }
        }
        return at
    }

    /// A varint of one or two bytes at `at` (before `end`), moving `at` past it; nil for a longer
    /// one or none.
    @inline(__always)
    private static func shortVarint(_ buffer: UnsafeRawBufferPointer, _ at: inout Int, _ end: Int) -> Int? {
        guard at < end else { return nil }
        let first = Int(buffer[at])
        if first < 0x80 {
            at &+= 1
            return first
        }
        guard end &- at >= 2, buffer[at &+ 1] < 0x80 else { return nil }
        at &+= 2
        return first & 0x7f | Int(buffer[at &- 1]) &<< 7
    }

    /// How many times field `number` occurs and its last occurrence's table entry (`Stored`, -1
    /// when it does not occur), when it has a slot.
    @inline(__always)
    private func slot(_ number: UInt32) -> (count: Int32, last: Int32)? {
        guard let table, number < UInt32(Self.tableSize) else { return nil }
        let slot = Int(number)
        let count = table[slot]
        return (count, count == 0 ? -1 : table[Self.tableSize + slot])
    }

    /// A table entry for a field's last occurrence: the offset of its value (after the tag, before
    /// a length-delimited field's length) shifted past its wire type's three bits. In 32 bits, so
    /// a buffer this reader reads is under 2^28 bytes (256 MiB; a frame is at most 16 MiB): a
    /// larger one goes through the generic decoder (`canRead`).
    enum Stored {
        @inline(__always)
        static func make(valueAt offset: Int, _ wireType: some BinaryInteger) -> Int {
            offset &<< 3 | Int(truncatingIfNeeded: wireType)
        }
    }

    /// Whether the message has a buffer this reader can hold offsets of (`Stored`).
    static func canRead(_ buffer: UnsafeRawBufferPointer) -> Bool {
        buffer.count < 1 << 28
    }

    // MARK: Finding fields

    /// The occurrence of field `number` whose table entry (`Stored`) the first pass wrote.
    @inline(__always)
    private func field(_ number: UInt32, stored: Int32) -> FieldEntry? {
        var position = Int(stored >> 3)
        return value(number, wireType: UInt64(truncatingIfNeeded: stored & 7), &position)
    }

    /// The field at `position`, which the first pass read, and moves `position` past it. That pass
    /// checked its tag, its varints and its length with `MessageIndex.field`, so it is read again
    /// here without the checks and their messages (they were half of a look-up's cost); still
    /// nothing is read past `end`.
    @inline(__always)
    private func field(_ position: inout Int) -> FieldEntry? {
        let tag = knownVarint(&position)
        return value(UInt32(truncatingIfNeeded: tag >> 3), wireType: tag & 7, &position)
    }

    /// The value of field `number` of wire type `wireType` at `position` (after its tag), read as
    /// `field(_:)` reads it, moving `position` past it.
    @inline(__always)
    private func value(_ number: UInt32, wireType: UInt64, _ position: inout Int) -> FieldEntry? {
        switch wireType {
        case 0:
            let valueOffset = position
            return FieldEntry(number: number, wireType: .varint, value: knownVarint(&position), offset: valueOffset)
        case 1:
            guard end - position >= 8 else { return nil }
            let bits = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            position += 8
            return FieldEntry(number: number, wireType: .fixed64, value: bits, offset: position - 8)
        case 5:
            guard end - position >= 4 else { return nil }
            let bits = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt32.self))
            position += 4
            return FieldEntry(number: number, wireType: .fixed32, value: UInt64(bits), offset: position - 4)
        case 2:
            let length = knownVarint(&position)
            guard length <= UInt64(end - position) else { return nil }
            let valueOffset = position
            position += Int(length)
            return FieldEntry(number: number, wireType: .lengthDelimited, value: length, offset: valueOffset)
        default:
            return nil
        }
    }

    /// A varint the first pass read without error.
    @inline(__always)
    private func knownVarint(_ position: inout Int) -> UInt64 {
        guard position < end else { return 0 }
        // One-byte varints (tags of fields 1 to 15, short lengths, small values) are most.
        let first = buffer[position]
        position += 1
        if first < 0x80 { return UInt64(first) }
        var result = UInt64(first & 0x7f)
        var shift: UInt64 = 7
        while position < end {
            let byte = buffer[position]
            position += 1
            result |= UInt64(byte & 0x7f) &<< shift
            if byte < 0x80 { break }
            shift += 7
        }
        return result
    }

    /// Field `number`'s entry in the tables, looked up in the caller: its last occurrence's
    /// `Stored` entry, `absentEntry` when it does not occur, `unslottedEntry` when it has no slot
    /// (a number past the tables, a message nested past them). Inlined into each reader by type,
    /// so that an absent optional field (most of a record's optional texts and dates) is nil with
    /// no call: the call of a non-inlined reader, its prologue and its own look-up were ~30
    /// instructions for a nil, ~360 absent fields a page of 50 (docs/performance/HISTORY.md "decode32");
    /// a present field's reader takes the entry rather than looking it up again.
    @inlinable @inline(__always)
    func lastEntry(_ number: UInt32) -> Int32 {
        guard let table, number < UInt32(Self.tableSize) else { return Self.unslottedEntry }
        let slot = Int(number)
        return table[slot] == 0 ? Self.absentEntry : table[Self.tableSize + slot]
    }

    /// `lastEntry(_:)` of a field that does not occur.
    @inlinable static var absentEntry: Int32 { -1 }
    /// `lastEntry(_:)` of a field without a slot, found by walking the message.
    @inlinable static var unslottedEntry: Int32 { .min }

    /// The last occurrence of field `number` whose `lastEntry(_:)` is `entry`.
    @inline(__always)
    func occurrence(_ number: UInt32, entry: Int32) -> FieldEntry? {
        if entry >= 0 { return field(number, stored: entry) }
        return entry == Self.absentEntry ? nil : walkedOccurrence(number)?.entry
    }

    /// The last occurrence of field `number`, and whether it is the only one.
    ///
    /// Inlined into each reader by type (a call per field, its prologue and the result passed
    /// through memory, was a fifth of a look-up); a field without a slot is walked for out of line.
    @inline(__always)
    func occurrence(_ number: UInt32) -> (entry: FieldEntry, single: Bool)? {
        guard let slot = slot(number) else { return walkedOccurrence(number) }
        guard slot.last >= 0, let entry = field(number, stored: slot.last) else { return nil }
        return (entry, slot.count == 1)
    }

    /// Whether `entry`, a length-delimited field that occurs once, has the content of field
    /// `earlier`, which must occur once too (see `decodeIfPresent(_:_:sameAs:decodedAs:)`).
    @inline(__always)
    func hasSameContent(_ entry: FieldEntry, as earlier: UInt32) -> Bool {
        guard let that = occurrence(earlier), that.single, that.entry.wireType == .lengthDelimited,
              that.entry.value == entry.value, let base = buffer.baseAddress
        else { return false }
        // The first pass checked that both contents lie inside the message.
        return memcmp(base + entry.offset, base + that.entry.offset, Int(truncatingIfNeeded: entry.value)) == 0
    }

    /// ``occurrence(_:)`` of a field number past the tables, or in a message nested past them.
    @inline(never)
    private func walkedOccurrence(_ number: UInt32) -> (entry: FieldEntry, single: Bool)? {
        var found: FieldEntry?
        var count = 0
        var position = start
        while position < end, let entry = field(&position) {
            if entry.number == number {
                found = entry
                count += 1
            }
        }
        return found.map { ($0, count == 1) }
    }

    /// Where the walk over the occurrences of field `number` starts (its first occurrence), or
    /// `end` when it has none; a field that occurs once is its table entry, with nothing to walk.
    @usableFromInline
    func occurrences(of number: UInt32) -> Occurrences {
        if let slot = slot(number), slot.count <= 1 {
            return Occurrences(position: end, single: slot.last)
        }
        var position = start
        while position < end {
            let offset = position
            guard let entry = field(&position) else { break }
            if entry.number == number { return Occurrences(position: offset) }
        }
        return Occurrences(position: end)
    }

    /// The next occurrence of field `number` after `occurrences`, moving it on; nil after the last.
    func next(_ number: UInt32, _ occurrences: inout Occurrences) -> FieldEntry? {
        if occurrences.single >= 0 {
            defer { occurrences.single = -1 }
            return field(number, stored: occurrences.single)
        }
        while occurrences.position < end, let entry = field(&occurrences.position) {
            if entry.number == number { return entry }
        }
        return nil
    }

    /// How many times field `number` occurs (to reserve an array's room in one allocation).
    @usableFromInline
    func occurrenceCount(_ number: UInt32) -> Int {
        if let slot = slot(number) { return Int(slot.count) }
        var occurrences = occurrences(of: number)
        var count = 0
        while next(number, &occurrences) != nil { count += 1 }
        return count
    }

    // MARK: Messages

    /// A nested message: its reader, one level deeper, refused past `maxDepth`.
    func reader(of entry: FieldEntry, reportingOffset: Bool, element: Int? = nil) throws(FieldFault) -> BinaryReader {
        let maxDepth = decoder.pointee.maxDepth
        guard depth + 1 <= maxDepth else {
            throw .corrupted("messages nested deeper than the limit of \(maxDepth)"
                + (reportingOffset ? " at byte offset \(entry.offset)" : ""), element: element)
        }
        do throws(WireFailure) {
            return try BinaryReader(
                buffer, from: entry.offset, to: entry.end, depth: depth + 1, decoder: decoder, budget: budget,
                scratch: scratch)
        } catch {
            throw .corrupted(error.message, element: element)
        }
    }

    // MARK: Anything else, through Codable

    /// Reads field `number` as the generic decoder does: its own index of this message (the
    /// structure was checked and its occurrences taken, so indexing it again cannot fail and takes
    /// none) and a node at the top of it, which takes what it reads below from this decoding's
    /// budget. An optional field the first pass counted no occurrence of is nil before any of that:
    /// the card's five `Codable` tabs, mostly not asked for, each indexed the whole card (~700
    /// instructions under callgrind, an allocation among them) only to find them absent.
    @usableFromInline
    func codable<T: Decodable>(_ type: T.Type, _ number: UInt32, _ key: any CodingKey, ifPresent: Bool) throws -> T? {
        if ifPresent, let slot = slot(number), slot.count == 0 { return nil }
        var index = MessageIndex(depth: depth)
        do {
            var taken = DecodingBudget.unlimited
            try index.scan(buffer, from: start, to: end, budget: &taken)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: error.message))
        }
        if ifPresent, !index.contains(number) { return nil }
        let state = DecodingState(
            buffer: buffer, maxDepth: decoder.pointee.maxDepth, userInfo: decoder.pointee.userInfo,
            budget: budget.pointee)
        defer {
            budget.pointee = state.budget
            state.releaseSpares()
        }
        let top = DecoderNode(state: state, slot: .root(index), parent: nil, key: nil)
        return try top.value(type, in: .field(index, number), key: key)
    }
}

/// A walk over the occurrences of one field, in order: where the next field begins, and the
/// element index of the next occurrence; or the table entry (`BinaryReader.Stored`) of a field's
/// only occurrence, not yet read.
@usableFromInline
struct Occurrences {
    @usableFromInline var position: Int
    @usableFromInline var element = 0
    /// The only occurrence's table entry until it is read, then -1 (as it is for a walk).
    @usableFromInline var single: Int32

    init(position: Int, single: Int32 = -1) {
        self.position = position
        self.single = single
    }
}

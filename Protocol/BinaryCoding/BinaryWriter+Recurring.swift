/// Nested messages that recur within one message: the same user's reference on most rows of a
/// page (created by, updated by, account manager) and on most records of a card. Written once
/// from their value and copied from the bytes already written after that: a reference made,
/// begun, its id and name written and ended cost ~450 instructions, three a listed customer
/// (callgrind, docs/performance/HISTORY.md "list18").
extension BinaryWriter {
    /// A nested message of type `type` under `key` whose fields `body` writes, unless a message of
    /// that type and `identity` was written by this method into this writer before: its fields
    /// are then copied. The caller promises that within this writer's message the same identity
    /// always has the same fields (a user's id in one read's snapshot names one name).
    @inlinable public mutating func writeMessage<K: CodingKey, M>(
        _ key: K, recurring type: M.Type, identity: Int64, _ body: (inout BinaryWriter) throws -> Void
    ) throws {
        try recurringMessage(Self.number(key.intValue), ObjectIdentifier(type), identity, body)
    }

    @usableFromInline mutating func recurringMessage(_ number: UInt32, _ kind: ObjectIdentifier, _ identity: Int64,
                                                     _ body: (inout BinaryWriter) throws -> Void) throws {
        if let fields = recurring.fields(kind, identity) {
            repeatMessage(number, fields)
            return
        }
        let start = beginMessage(number)
        try body(&self)
        let end = out.count
        endMessage(start)
        // `endMessage` moved the fields when their length took another width than reserved.
        let moved = out.count - end
        recurring.remember(RecurringMessage(kind: kind, identity: identity,
                                            fields: start.offset + start.width + moved..<out.count))
    }

    /// The tag, the length and a copy of the fields at `fields`.
    mutating func repeatMessage(_ number: UInt32, _ fields: Range<Int>) {
        out.write(atMost: WireCursor.maxTagBytes + Varint.maxBytes) { start in
            var at = start
            WireCursor.putTag(number, .lengthDelimited, at: &at)
            Varint.store(UInt64(fields.count), at: &at)
            return at - start
        }
        out.append(copyOf: fields)
    }

}

/// The last few recurring messages a writer wrote, oldest first, kept in the writer itself: an
/// array of them was allocated at the first one, a get's ~290 instructions with its growth and
/// free (callgrind, docs/PERFORMANCE.md "get28").
struct RecurringMessages {
    /// How many a writer remembers: a page names a few users (its creators and account managers),
    /// each kept while the next rows name it again.
    private var kept = InlineArray<4, RecurringMessage?>(repeating: nil)
    private var count = 0

    var isEmpty: Bool { count == 0 }

    /// Where the fields of the recurring message of `kind` and `identity` lie, nil if none was written.
    func fields(_ kind: ObjectIdentifier, _ identity: Int64) -> Range<Int>? {
        for index in 0..<count {
            if let message = kept[index], message.identity == identity && message.kind == kind { return message.fields }
        }
        return nil
    }

    /// Keeps where the fields of a recurring message lie, in place of the oldest kept when full.
    mutating func remember(_ message: RecurringMessage) {
        if count == kept.count {
            for index in 1..<count { kept[index - 1] = kept[index] }
            count -= 1
        }
        kept[count] = message
        count += 1
    }

    /// After the content of a message begun at `offset` moved by `distance` (its length took
    /// another width than reserved), the recurring fields within it moved too.
    mutating func shift(after offset: Int, by distance: Int) {
        for index in 0..<count {
            guard let message = kept[index], message.fields.lowerBound > offset else { continue }
            kept[index]?.fields = message.fields.lowerBound + distance..<message.fields.upperBound + distance
        }
    }
}

/// Where the fields of a message written by `writeMessage(_:recurring:identity:_:)` lie.
struct RecurringMessage {
    let kind: ObjectIdentifier
    let identity: Int64
    var fields: Range<Int>
}

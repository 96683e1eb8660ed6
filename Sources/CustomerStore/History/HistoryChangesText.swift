/// The field changes of one history entry as one text value: the `history.changes` column
/// (schema version 19), written with the entry's row instead of one `history_changes` row per field.
///
/// Why: a created customer's ~10 field rows were ~10 B-tree inserts (plus a foreign-key lookup
/// each) per imported row or create, about half of the store's work for it (callgrind, issues 15
/// and 17). One column of the entry's row costs nothing beyond the row's own insert.
///
/// The encoding, in UTF-8 bytes, the changes in their order; NULL when an entry has none:
///
///     changes = change*
///     change  = flag item [item] [item]
///     flag    = "n" (new value only) / "o" (old value only) / "b" (both, old first)
///             / "-" (neither) / "e" (neither: erased)
///     item    = length ":" bytes        ; length: the bytes' count in decimal, no leading zeros
///
/// The first item is the field's name, then the values the flag says. Example: a name set from
/// `Old Oy` to `Ab Öy` and an email added: `b4:name6:Old Oy6:Ab Öyn5:email6:a@b.fi`. Lengths count
/// bytes, never characters, so any text (newlines, the flag letters, digits) stays unescaped.
/// It stays text, so the values can be looked for with LIKE as before (erasure's tests do).
enum HistoryChangesText {
    /// The column's value for `changes`; nil (NULL) when there are none.
    static func encode(_ changes: [StoredFieldChange]) -> String? {
        guard !changes.isEmpty else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(changes.count * 32)
        for change in changes {
            let flag: UInt8 = switch (change.erased, change.oldValue != nil, change.newValue != nil) {
            case (true, _, _): UInt8(ascii: "e")
            case (false, true, true): UInt8(ascii: "b")
            case (false, true, false): UInt8(ascii: "o")
            case (false, false, true): UInt8(ascii: "n")
            case (false, false, false): UInt8(ascii: "-")
            }
            bytes.append(flag)
            append(change.field, to: &bytes)
            if !change.erased {
                if let old = change.oldValue { append(old, to: &bytes) }
                if let new = change.newValue { append(new, to: &bytes) }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends a created record's change of `field` (as `HistoryLog.creation` makes it: none for a
    /// nil value) to `bytes`, for text made in parts (`CreatedCustomerChanges`).
    static func appendCreated(_ field: String, _ value: String?, to bytes: inout [UInt8]) {
        guard let value else { return }
        bytes.append(UInt8(ascii: "n"))
        append(field, to: &bytes)
        append(value, to: &bytes)
    }

    /// `appendCreated(field, String(value), to:)` without making the `String` (a new customer's
    /// number, written by the writer's thread: `DecimalBytes`).
    static func appendCreated(_ field: String, _ value: Int64, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "n"))
        append(field, to: &bytes)
        DecimalBytes.append(DecimalBytes.count(value), to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        DecimalBytes.append(value, to: &bytes)
    }

    /// The same changes with their values erased (the names stay), as `eraseValues` stores them.
    static func erasing(_ changes: [StoredFieldChange]) -> [StoredFieldChange] {
        changes.map { StoredFieldChange(field: $0.field, oldValue: nil, newValue: nil, erased: true) }
    }

    /// The changes `text` encodes.
    /// - Throws: `dataLoss` naming `entryID` when the text is not of the encoding (nothing of it
    ///   can trap: every length is checked against what is left).
    static func decode(_ text: String, entryID: Int64) throws -> [StoredFieldChange] {
        var text = text
        return try text.withUTF8 { bytes in
            var changes: [StoredFieldChange] = []
            var position = 0
            func item() throws -> String {
                var length = 0
                var digits = 0
                while position < bytes.count, bytes[position] != UInt8(ascii: ":") {
                    let digit = Int(bytes[position]) - Int(UInt8(ascii: "0"))
                    guard (0...9).contains(digit), digits < 10 else { throw malformed(entryID, at: position) }
                    length = length * 10 + digit
                    digits += 1
                    position += 1
                }
                guard digits > 0, position < bytes.count, length <= bytes.count - position - 1 else {
                    throw malformed(entryID, at: position)
                }
                position += 1
                defer { position += length }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<(position + length)]), as: UTF8.self)
            }
            while position < bytes.count {
                let flag = bytes[position]
                position += 1
                let field = try item()
                switch flag {
                case UInt8(ascii: "b"):
                    let old = try item()
                    changes.append(StoredFieldChange(field: field, oldValue: old, newValue: try item()))
                case UInt8(ascii: "o"): changes.append(StoredFieldChange(field: field, oldValue: try item(), newValue: nil))
                case UInt8(ascii: "n"): changes.append(StoredFieldChange(field: field, oldValue: nil, newValue: try item()))
                case UInt8(ascii: "-"): changes.append(StoredFieldChange(field: field, oldValue: nil, newValue: nil))
                case UInt8(ascii: "e"): changes.append(StoredFieldChange(field: field, oldValue: nil, newValue: nil, erased: true))
                default: throw malformed(entryID, at: position - 1)
                }
            }
            return changes
        }
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        let utf8 = text.utf8
        DecimalBytes.append(utf8.count, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: utf8)
    }

    private static func malformed(_ entryID: Int64, at offset: Int) -> StoreError {
        StoreError.dataLoss("history entry \(entryID) has malformed changes at byte \(offset)")
    }
}

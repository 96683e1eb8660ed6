/// An integer's decimal digits appended to UTF-8 bytes, spelled as `String(value)` spells it,
/// without making that `String` (`HistoryChangesText`'s lengths, a new customer's number in its
/// search text and created entry).
///
/// Why: a group's creates write their numbers into the batch's buffers on the writer's thread,
/// which bounds creates per second (issue 15): `String(number)` and copying its UTF-8 cost ~600 of
/// its instructions a create (callgrind, docs/performance/HISTORY.md "create31").
enum DecimalBytes {
    static func append(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, to: &bytes)  // The magnitude: Int64.min has no positive Int64.
    }

    /// A count or a length (never negative as such, but spelled with its sign all the same).
    static func append(_ value: Int, to bytes: inout [UInt8]) {
        append(Int64(truncatingIfNeeded: value), to: &bytes)  // Exact: Int is 64 bits where this runs.
    }

    /// How many bytes `append(value, to:)` appends: its digits, and the sign of a negative value.
    static func count(_ value: Int64) -> Int {
        var count = value < 0 ? 2 : 1
        var rest = value.magnitude
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }

    private static func appendDigits(_ magnitude: UInt64, to bytes: inout [UInt8]) {
        if magnitude >= 10 { appendDigits(magnitude / 10, to: &bytes) }
        bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10))
    }
}

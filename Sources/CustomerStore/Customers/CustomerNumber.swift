/// The rule for customer numbers, and for project numbers too (issue 12).
///
/// A number is what people type and print, so it is bounded well inside Int64: a caller's
/// `9223372036854775807` used to push automatic numbering past the end of Int64, and every later
/// create without a number failed. Automatic numbering no longer follows numbers people give
/// (see `CustomerStore.nextNumber`), so no number in the range can block it either.
public enum CustomerNumber {
    /// The numbers a customer or a project may have: 1 to 9 999 999 999 (at most ten digits).
    public static let range: ClosedRange<Int64> = 1...9_999_999_999

    /// Why a number outside `range` is refused, for the field's violation.
    static let rangeReason = "must be a whole number from 1 to 9999999999"
}

@testable import CustomerStore
import Testing

@Suite struct DecimalBytesTests {
    /// The digits written into a buffer are `String(value)`'s, sign and extremes included, after
    /// what the buffer held; `count` is their number.
    @Test(arguments: [0, 7, 9, 10, 11, 99, 100, 10_042, 9_999_999, -1, -9, -10, -10_042, Int64.max, Int64.min, Int64.min + 1])
    func theDigitsAreStringsSpelling(value: Int64) {
        var bytes = Array("n6:number".utf8)
        DecimalBytes.append(value, to: &bytes)
        #expect(bytes == Array("n6:number\(value)".utf8))
        #expect(DecimalBytes.count(value) == String(value).utf8.count)
        var counted: [UInt8] = []
        DecimalBytes.append(Int(value), to: &counted)
        #expect(counted == Array(String(value).utf8))
    }

    /// A new customer's number in its created entry is the item `String(number)` made.
    @Test(arguments: [0, 1, 10_042, -5, Int64.max, Int64.min])
    func aNumbersItemIsItsStringsItem(number: Int64) {
        var direct: [UInt8] = [], viaString: [UInt8] = []
        HistoryChangesText.appendCreated("number", number, to: &direct)
        HistoryChangesText.appendCreated("number", String(number), to: &viaString)
        #expect(direct == viaString)
    }
}

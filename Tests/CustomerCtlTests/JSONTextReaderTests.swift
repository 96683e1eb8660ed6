import CustomerClient
import Foundation
import Testing

/// `customerctl call --data` is read by `DynamicValue(json:)`, every number from its own digits:
/// JSONDecoder, which read it before (fuzz30), made `999999999999999.9999` the whole number
/// 1000000000000000, `5.0000000000000000001` the whole number 5, `1e-400` 0, and a number of 41
/// digits a rounded decimal.
@Suite struct JSONTextReaderTests {
    func read(_ text: String) throws(JSONTextError) -> DynamicValue {
        try DynamicValue(json: Array(text.utf8))
    }

    @Test func aNumberIsReadExactlyFromItsDigits() throws {
        let expected: [(String, DynamicValue)] = [
            ("9007199254740993", .integer(9_007_199_254_740_993)),
            ("-9223372036854775808", .integer(.min)),
            ("9223372036854775808", .unsigned(9_223_372_036_854_775_808)),
            ("18446744073709551615", .unsigned(.max)),
            ("1e3", .integer(1000)), ("1.0", .integer(1)), ("15e-1", .decimal(Decimal(string: "1.5")!)),
            ("-0", .integer(0)), ("0e999999999999", .integer(0)),
            ("999999999999999.9999", .decimal(Decimal(string: "999999999999999.9999")!)),
            ("5.0000000000000000001", .decimal(Decimal(string: "5.0000000000000000001")!)),
            ("1234.50", .decimal(Decimal(string: "1234.5")!)),
            ("18446744073709551616", .decimal(Decimal(string: "18446744073709551616")!)),
            ("0.30000000000000004", .decimal(Decimal(string: "0.30000000000000004")!)),
        ]
        for (text, value) in expected {
            #expect(try read(text) == value, "\(text)")
        }
    }

    @Test func aNumberNoKindHoldsExactlyIsRefusedNamingWhereItStands() {
        for text in ["1." + String(repeating: "0", count: 40) + "1", String(repeating: "7", count: 45), "1e-400", "1e400",
                     "1e1000000000"] {
            let error = #expect(throws: JSONTextError.self, "\(text)") { try read(#"{"fields": {"creditLimit": [1, \#(text)]}}"#) }
            #expect(error?.fault == .inexactNumber(text))
            #expect(error?.path == "fields.creditLimit[1]")
            #expect(error?.description.hasPrefix("fields.creditLimit[1]: the number ") == true, "\(String(describing: error))")
        }
    }

    @Test func textThatIsNotJSONIsRefusedAtItsLineAndColumn() {
        let refused: [(String, Int, Int, String)] = [
            ("{id: 1}", 1, 2, "name in double quotes"),
            ("{\"a\": 1,\n \"a\": 2}", 2, 2, "a is given twice"),
            (#"{"s": "\ud800"}"#, 1, 14, "lone surrogate"),
            (#"{"s": "\udc00x"}"#, 1, 14, "lone surrogate"),
            ("{\"s\": \"a\nb\"}", 1, 9, "inside a string"),
            ("[1,]", 1, 4, "expected a value"),
            ("{} {}", 1, 4, "more text after the value"),
            ("01", 1, 2, "leading zero"), ("1.", 1, 3, "after the decimal point"), ("+1", 1, 1, "expected a value"),
            ("NaN", 1, 1, "expected a value"), ("", 1, 1, "ends where a value should be"),
            (String(repeating: "[", count: 129), 1, 129, "nested deeper than 128"),
        ]
        for (text, line, column, reason) in refused {
            let error = #expect(throws: JSONTextError.self, "\(text.debugDescription)") { try read(text) }
            #expect(error?.line == line && error?.column == column, "\(text.debugDescription): \(String(describing: error))")
            #expect(error?.description.contains(reason) == true, "\(text.debugDescription): \(String(describing: error))")
            #expect(error?.description.hasPrefix("not JSON: ") == true)
        }
        #expect(throws: JSONTextError.self) { try DynamicValue(json: [0x22, 0xFF, 0x22]) }
    }

    @Test func membersStringsAndEscapesAreReadInOrder() throws {
        let text = #" {"b": [true, false, null], "a": "x\u00e9\ud83d\ude00\n\"\/\\", "c": {}} "#
        #expect(try read(text) == .object([
            .init("b", .array([.bool(true), .bool(false), .null])), .init("a", .string("xé😀\n\"/\\")), .init("c", .object([])),
        ]))
        let nested = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(throws: Never.self) { try read(nested) }
    }
}

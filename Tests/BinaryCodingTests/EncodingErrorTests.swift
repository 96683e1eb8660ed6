import BinaryCoding
import Foundation
import Testing

struct StringKeyed: Codable { var alpha: Int }

struct BadNumber: Encodable {
    let number: Int
    struct Key: CodingKey {
        let intValue: Int?
        var stringValue: String { "k\(intValue ?? 0)" }
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(1, forKey: Key(intValue: number))
    }
}

enum Shape: Codable { case circle(radius: Double) }

@Suite struct EncodingErrorTests {
    func invalidValueDescription(_ value: some Encodable) throws -> String {
        do {
            _ = try BinaryEncoder().encode(value)
        } catch EncodingError.invalidValue(_, let context) {
            return context.debugDescription
        }
        Issue.record("encoding succeeded")
        return ""
    }

    @Test func keysWithoutIntValueNameTheTypeAndKey() throws {
        let message = try invalidValueDescription(StringKeyed(alpha: 1))
        #expect(message.contains("StringKeyed.CodingKeys"))
        #expect(message.contains("\"alpha\""))
        #expect(message.contains("has no intValue"))
    }

    @Test func nestedTypeWithStringKeysIsNamedToo() throws {
        struct Outer: Encodable {
            var inner: StringKeyed
            enum CodingKeys: Int, CodingKey { case inner = 1 }
        }
        #expect(try invalidValueDescription(Outer(inner: StringKeyed(alpha: 2))).contains("StringKeyed.CodingKeys"))
        #expect(try invalidValueDescription(Shape.circle(radius: 1)).contains("Shape"))
    }

    @Test(arguments: [0, -1, 536_870_912, Int.max])
    func fieldNumbersOutOfRange(number: Int) throws {
        #expect(try invalidValueDescription(BadNumber(number: number)).contains("outside 1...536870911"))
    }

    @Test(arguments: [1, 536_870_911])
    func fieldNumbersAtTheLimits(number: Int) throws {
        #expect(try !BinaryEncoder().encode(BadNumber(number: number)).isEmpty)
    }

    @Test func someNoneOfANestedOptionalIsRefused() throws {
        #expect(try invalidValueDescription(NestedOptional(value: .some(nil))).contains(".some(nil)"))
        #expect(try invalidValueDescription([Int??.some(nil)]).contains(".some(nil)"))
    }
}

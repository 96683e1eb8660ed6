import BinaryCoding
import Foundation
import Testing

struct AllWidths: Codable, Equatable {
    var int: Int, int8: Int8, int16: Int16, int32: Int32, int64: Int64
    var uint: UInt, uint8: UInt8, uint16: UInt16, uint32: UInt32, uint64: UInt64
    var bool: Bool, float: Float, double: Double

    enum CodingKeys: Int, CodingKey {
        case int = 1, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, bool, float, double
    }

    static let min = AllWidths(
        int: .min, int8: .min, int16: .min, int32: .min, int64: .min,
        uint: .min, uint8: .min, uint16: .min, uint32: .min, uint64: .min,
        bool: false, float: -.greatestFiniteMagnitude, double: -.greatestFiniteMagnitude)
    static let max = AllWidths(
        int: .max, int8: .max, int16: .max, int32: .max, int64: .max,
        uint: .max, uint8: .max, uint16: .max, uint32: .max, uint64: .max,
        bool: true, float: .infinity, double: .leastNonzeroMagnitude)
    static let minusOne = AllWidths(
        int: -1, int8: -1, int16: -1, int32: -1, int64: -1,
        uint: 1, uint8: 1, uint16: 1, uint32: 1, uint64: 1,
        bool: true, float: -0.0, double: .pi)
}

struct Special: Codable, Equatable {
    var decimal: Decimal
    var date: Date
    var uuid: UUID
    var url: URL
    var data: Data

    enum CodingKeys: Int, CodingKey { case decimal = 1, date, uuid, url, data }
}

struct Collections: Codable, Equatable {
    var ints: [Int] = []
    var strings: [String] = []
    var optionals: [Int?] = []
    var messages: [Address] = []
    var nested: [[Int]] = []
    var byName: [String: Int] = [:]
    var byNumber: [Int: String] = [:]
    var messagesByName: [String: Address] = [:]
    var optionalValues: [String: Int?] = [:]
    var doubles: [Double] = []
    var floats: [Float] = []
    var bools: [Bool] = []
    var dates: [Date] = []
    var decimals: [Decimal] = []
    var blobs: [Data] = []
    var optionalStrings: [String?] = []
    var mapsInArray: [[String: Int]] = []

    enum CodingKeys: Int, CodingKey {
        case ints = 1, strings, optionals, messages, nested, byName, byNumber, messagesByName, optionalValues
        case doubles, floats, bools, dates, decimals, blobs, optionalStrings, mapsInArray
    }
}

struct Empty: Codable, Equatable {}

struct HoldsEmpty: Codable, Equatable {
    var empty: Empty
    var empties: [Empty]
    enum CodingKeys: Int, CodingKey { case empty = 1, empties = 2 }
}

struct NestedOptional: Codable, Equatable {
    var value: Int??
    enum CodingKeys: Int, CodingKey { case value = 1 }
}

class Animal: Codable {
    var legs: Int
    init(legs: Int) { self.legs = legs }
    enum CodingKeys: Int, CodingKey { case legs = 1 }
}

final class Dog: Animal {
    var name: String
    init(name: String, legs: Int) {
        self.name = name
        super.init(legs: legs)
    }
    enum DogKeys: Int, CodingKey { case name = 1 }
    required init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: DogKeys.self)
        name = try container.decode(String.self, forKey: .name)
        try super.init(from: container.superDecoder())
    }
    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DogKeys.self)
        try container.encode(name, forKey: .name)
        try super.encode(to: container.superEncoder())
    }
}

/// Writes through nested containers, interleaved with the parent's own fields.
struct Manual: Codable, Equatable {
    var title: String
    var point: (x: Int, y: Int)
    var matrix: [[String]]
    var trailer: Int

    enum Keys: Int, CodingKey { case title = 1, point = 2, matrix = 3, trailer = 4, x = 5, y = 6 }

    init(title: String, point: (x: Int, y: Int), matrix: [[String]], trailer: Int) {
        self.title = title
        self.point = point
        self.matrix = matrix
        self.trailer = trailer
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        var point = container.nestedContainer(keyedBy: Keys.self, forKey: .point)
        var matrix = container.nestedUnkeyedContainer(forKey: .matrix)
        try point.encode(self.point.x, forKey: .x)
        try container.encode(title, forKey: .title)
        for row in self.matrix {
            var nested = matrix.nestedUnkeyedContainer()
            for cell in row { try nested.encode(cell) }
        }
        try point.encode(self.point.y, forKey: .y)
        try container.encode(trailer, forKey: .trailer)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        title = try container.decode(String.self, forKey: .title)
        let point = try container.nestedContainer(keyedBy: Keys.self, forKey: .point)
        self.point = (try point.decode(Int.self, forKey: .x), try point.decode(Int.self, forKey: .y))
        var matrix = try container.nestedUnkeyedContainer(forKey: .matrix)
        self.matrix = []
        while !matrix.isAtEnd {
            var row = try matrix.nestedUnkeyedContainer()
            var cells: [String] = []
            while !row.isAtEnd { cells.append(try row.decode(String.self)) }
            self.matrix.append(cells)
        }
        trailer = try container.decode(Int.self, forKey: .trailer)
    }

    static func == (lhs: Manual, rhs: Manual) -> Bool {
        lhs.title == rhs.title && lhs.point == rhs.point && lhs.matrix == rhs.matrix && lhs.trailer == rhs.trailer
    }
}

@Suite struct RoundTripTests {
    @Test(arguments: [AllWidths.min, AllWidths.max, AllWidths.minusOne])
    func integerWidthsAndFloats(value: AllWidths) throws {
        #expect(try roundTrip(value) == value)
    }

    @Test func nanSurvives() throws {
        var value = AllWidths.minusOne
        value.double = .nan
        value.float = .signalingNaN
        let decoded = try roundTrip(value)
        #expect(decoded.double.isNaN && decoded.float.isNaN)
    }

    @Test(arguments: ["", "plain", "héllo wörld", "日本語のテキスト", "👩‍👩‍👧‍👦🇫🇮", "e\u{301}\u{302} a\u{30A}", "nul\u{0}inside",
                      String(repeating: "long ", count: 100)])
    func strings(text: String) throws {
        #expect(try roundTrip(text) == text)
        #expect(try roundTrip(Address(street: text, city: text, postalCode: "", country: "FI")).street == text)
        // Unicode equality in Swift is canonical; the bytes must survive exactly too.
        #expect(Array(try roundTrip(text).utf8) == Array(text.utf8))
    }

    @Test(arguments: ["0.1", "1234567890.12", "-0.005", "-1234.50", "0", "99999999999999999999999999999999999999",
                      "0.0000000000000000000000000000000000001", "-170141183460469231731687303715884105727"])
    func decimalMoneyIsExact(text: String) throws {
        let money = try #require(Decimal(string: text))
        let decoded = try roundTrip(money)
        #expect(decoded == money)
        #expect(decoded.description == money.description)
        #expect(decoded.exponent == money.exponent && decoded.significand == money.significand)
    }

    @Test func decimalNaN() throws {
        #expect(try roundTrip(Decimal.nan).isNaN)
    }

    @Test(arguments: [0, 0.1, -1.5, 1e-9, 700_000_000.123_456_789, -978_307_200.000_001, 1 / 3.0,
                      Date.distantPast.timeIntervalSinceReferenceDate, Date.distantFuture.timeIntervalSinceReferenceDate])
    func datesAreExact(seconds: Double) throws {
        let date = Date(timeIntervalSinceReferenceDate: seconds)
        let decoded = try roundTrip(date)
        #expect(decoded.timeIntervalSinceReferenceDate.bitPattern == seconds.bitPattern)
    }

    @Test func specialTypesInAMessage() throws {
        let value = Special(
            decimal: Decimal(string: "1234567890.12")!,
            date: Date(timeIntervalSinceReferenceDate: 12.000_000_1),
            uuid: UUID(),
            url: URL(string: "https://example.fi/a%20b?q=1#frag")!,
            data: Data([0, 1, 2, 255]))
        #expect(try roundTrip(value) == value)
        #expect(try roundTrip([value, value]) == [value, value])
    }

    @Test func customers() throws {
        #expect(try roundTrip(Fixtures.basic) == Fixtures.basic)
        #expect(try roundTrip(Fixtures.full) == Fixtures.full)
        #expect(try roundTrip([Fixtures.full, Fixtures.basic]) == [Fixtures.full, Fixtures.basic])
    }

    @Test func emptyCollections() throws {
        #expect(try roundTrip(Collections()) == Collections())
        #expect(try BinaryEncoder().encode(Collections()).isEmpty)
        #expect(try roundTrip([Int]()) == [])
        #expect(try roundTrip([String: Int]()) == [:])
    }

    @Test func collections() throws {
        let value = Collections(
            ints: [0, -1, 1, .max, .min],
            strings: ["a", "", "ü"],
            optionals: [1, nil, -3, nil],
            messages: [Fixtures.basic.address, Fixtures.full.address],
            nested: [[1, 2], [], [3]],
            byName: ["one": 1, "": 0, "minus": -1],
            byNumber: [1: "one", -5: "minus five", 0: ""],
            messagesByName: ["home": Fixtures.basic.address],
            optionalValues: ["some": 1, "none": nil],
            doubles: [0.5, -0.0, .infinity],
            floats: [1.5, -2],
            bools: [true, false, true],
            dates: [Date(timeIntervalSinceReferenceDate: 1.25)],
            decimals: [Decimal(string: "0.1")!, Decimal(string: "-2")!],
            blobs: [Data(), Data([7])],
            optionalStrings: [nil, "x", ""],
            mapsInArray: [["a": 1], [:], ["b": 2, "c": 3]])
        #expect(try roundTrip(value) == value)
    }

    @Test func topLevelValues() throws {
        #expect(try roundTrip(42) == 42)
        #expect(try roundTrip(Int8.min) == Int8.min)
        #expect(try roundTrip("top") == "top")
        #expect(try roundTrip([1, 2, 3]) == [1, 2, 3])
        #expect(try roundTrip([Int?.none, 1]) == [nil, 1])
        #expect(try roundTrip(["k": [1, 2]]) == ["k": [1, 2]])
        #expect(try roundTrip(Int?.none) == nil)
        #expect(try roundTrip(Int?.some(7)) == 7)
        #expect(try roundTrip(Tier.gold) == .gold)
        #expect(try roundTrip([[["deep"]]]) == [[["deep"]]])
    }

    @Test func enumsUseTheirRawValues() throws {
        #expect(try roundTrip(CustomerStatus.closed) == .closed)
        #expect(try roundTrip([Tier.gold, .standard, .platinum]) == [.gold, .standard, .platinum])
        // An Int raw value is a plain varint, as protobuf writes an enum: Tier.gold (1) is field 1 holding 1.
        #expect(try BinaryEncoder().encode(Tier.gold) == [0x08, 0x01])
    }

    @Test func emptyStructs() throws {
        let value = HoldsEmpty(empty: Empty(), empties: [Empty(), Empty()])
        #expect(try roundTrip(value) == value)
        #expect(try roundTrip(Empty()) == Empty())
        #expect(try roundTrip([Empty(), Empty(), Empty()]).count == 3)
    }

    @Test(arguments: [NestedOptional(value: nil), NestedOptional(value: .some(5)), NestedOptional(value: .some(.some(0)))])
    func nestedOptionals(value: NestedOptional) throws {
        #expect(try roundTrip(value) == value)
    }

    @Test func superclassFields() throws {
        let dog = try roundTrip(Dog(name: "Rex", legs: 3))
        #expect(dog.name == "Rex" && dog.legs == 3)
    }

    @Test func nestedContainersWrittenOutOfOrder() throws {
        let value = Manual(title: "t", point: (x: -4, y: 9), matrix: [["a", "b"], [], ["c"]], trailer: 77)
        #expect(try roundTrip(value) == value)
    }

    @Test func longMessagesGetMultiByteLengths() throws {
        let long = Address(street: String(repeating: "x", count: 300), city: String(repeating: "é", count: 9000),
                           postalCode: "", country: "")
        let customer = Customer(
            id: UUID(), name: "n", email: nil, phone: nil, address: long, status: .active, tier: .gold,
            balance: 1, createdAt: Date(timeIntervalSinceReferenceDate: 5), tags: Array(repeating: "t", count: 200),
            visits: Array(-500...500), notes: [:], lastContact: nil, rating: nil)
        #expect(try roundTrip(customer) == customer)
    }
}

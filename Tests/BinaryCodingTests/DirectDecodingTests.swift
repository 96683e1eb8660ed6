import TestSupport
import BinaryCoding
import DecodingComparison
import Foundation
import Testing

// The golden vectors' own types read their own fields too (`DirectDecodable`), so the same types
// decode both ways: `readsDirectly` on through `init(fields:)` below, off through the synthesized
// `init(from:)`. The suites that test the generic decoder turn it off (`BinaryDecoder.generic`).

extension Address: DirectDecodable {
    init(fields reader: borrowing BinaryReader) throws {
        street = try reader.decode(String.self, CodingKeys.street)
        city = try reader.decode(String.self, CodingKeys.city)
        postalCode = try reader.decode(String.self, CodingKeys.postalCode)
        country = try reader.decode(String.self, CodingKeys.country)
    }
}

extension Customer: DirectDecodable {
    init(fields reader: borrowing BinaryReader) throws {
        id = try reader.decode(UUID.self, CodingKeys.id)
        name = try reader.decode(String.self, CodingKeys.name)
        email = try reader.decodeIfPresent(String.self, CodingKeys.email)
        phone = try reader.decodeIfPresent(String.self, CodingKeys.phone)
        address = try reader.decode(Address.self, CodingKeys.address)
        status = try reader.decode(CustomerStatus.self, CodingKeys.status)
        tier = try reader.decode(Tier.self, CodingKeys.tier)
        balance = try reader.decode(Decimal.self, CodingKeys.balance)
        createdAt = try reader.decode(Date.self, CodingKeys.createdAt)
        tags = try reader.decode([String].self, CodingKeys.tags)
        visits = try reader.decode([Int].self, CodingKeys.visits)
        notes = try reader.decodeCodable([String: String].self, CodingKeys.notes)
        lastContact = try reader.decodeIfPresent(Date.self, CodingKeys.lastContact)
        rating = try reader.decodeIfPresent(Double.self, CodingKeys.rating)
    }
}

extension AllWidths: DirectDecodable {
    init(fields reader: borrowing BinaryReader) throws {
        int = try reader.decode(Int.self, CodingKeys.int)
        int8 = try reader.decode(Int8.self, CodingKeys.int8)
        int16 = try reader.decode(Int16.self, CodingKeys.int16)
        int32 = try reader.decode(Int32.self, CodingKeys.int32)
        int64 = try reader.decode(Int64.self, CodingKeys.int64)
        uint = try reader.decode(UInt.self, CodingKeys.uint)
        uint8 = try reader.decode(UInt8.self, CodingKeys.uint8)
        uint16 = try reader.decode(UInt16.self, CodingKeys.uint16)
        uint32 = try reader.decode(UInt32.self, CodingKeys.uint32)
        uint64 = try reader.decode(UInt64.self, CodingKeys.uint64)
        bool = try reader.decode(Bool.self, CodingKeys.bool)
        float = try reader.decode(Float.self, CodingKeys.float)
        double = try reader.decode(Double.self, CodingKeys.double)
    }
}

extension Signals: DirectDecodable {
    init(fields reader: borrowing BinaryReader) throws {
        one = try reader.decode(Signal.self, CodingKeys.one)
        maybe = try reader.decodeIfPresent(Signal.self, CodingKeys.maybe)
        many = try reader.decode([Signal].self, CodingKeys.many)
    }
}

/// The fields the reader has methods for read directly, the rest through `Codable`.
extension Collections: DirectDecodable {
    init(fields reader: borrowing BinaryReader) throws {
        ints = try reader.decode([Int].self, CodingKeys.ints)
        strings = try reader.decode([String].self, CodingKeys.strings)
        optionals = try reader.decodeCodable([Int?].self, CodingKeys.optionals)
        messages = try reader.decode([Address].self, CodingKeys.messages)
        nested = try reader.decodeCodable([[Int]].self, CodingKeys.nested)
        byName = try reader.decodeCodable([String: Int].self, CodingKeys.byName)
        byNumber = try reader.decodeCodable([Int: String].self, CodingKeys.byNumber)
        messagesByName = try reader.decodeCodable([String: Address].self, CodingKeys.messagesByName)
        optionalValues = try reader.decodeCodable([String: Int?].self, CodingKeys.optionalValues)
        doubles = try reader.decodeCodable([Double].self, CodingKeys.doubles)
        floats = try reader.decodeCodable([Float].self, CodingKeys.floats)
        bools = try reader.decodeCodable([Bool].self, CodingKeys.bools)
        dates = try reader.decodeCodable([Date].self, CodingKeys.dates)
        decimals = try reader.decodeCodable([Decimal].self, CodingKeys.decimals)
        blobs = try reader.decodeCodable([Data].self, CodingKeys.blobs)
        optionalStrings = try reader.decodeCodable([String?].self, CodingKeys.optionalStrings)
        mapsInArray = try reader.decodeCodable([[String: Int]].self, CodingKeys.mapsInArray)
    }
}

/// A top-level non-message value is field 1 of an implicit message (ENCODING.md §7): these
/// messages read the same bytes.
struct DirectTopLevelInts: Codable, Equatable, DirectDecodable {
    var values: [Int]
    enum CodingKeys: Int, CodingKey { case values = 1 }
    init(fields reader: borrowing BinaryReader) throws { values = try reader.decode([Int].self, CodingKeys.values) }
}

struct DirectTopLevelString: Codable, Equatable, DirectDecodable {
    var value: String
    enum CodingKeys: Int, CodingKey { case value = 1 }
    init(fields reader: borrowing BinaryReader) throws { value = try reader.decode(String.self, CodingKeys.value) }
}

/// A tree, to nest messages deeper than the levels `BinaryReader` keeps tables for.
struct DirectTree: Codable, Equatable, DirectDecodable {
    var label: String
    var children: [DirectTree]

    enum CodingKeys: Int, CodingKey {
        case label = 1
        case children = 2
    }

    init(label: String, children: [DirectTree]) {
        self.label = label
        self.children = children
    }

    init(fields reader: borrowing BinaryReader) throws {
        label = try reader.decode(String.self, CodingKeys.label)
        children = try reader.decode([DirectTree].self, CodingKeys.children)
    }

    /// A chain `depth` messages deep below this one, with a second child at every level.
    static func chain(_ depth: Int) -> DirectTree {
        depth == 0 ? DirectTree(label: "leaf", children: [])
            : DirectTree(label: "level \(depth)", children: [chain(depth - 1), DirectTree(label: "side", children: [])])
    }
}

/// Optional fields at and past the end of the reader's tables (field 31 has the last slot, 32 and
/// 40 none), present or absent: an absent field is nil in the caller when its slot's count is 0,
/// a field without a slot is found by walking the message (`BinaryReader.lastEntry`).
struct DirectFarFields: Codable, Equatable, DirectDecodable {
    var first: String?
    var last: String?
    var past: Int64?
    var far: String?

    enum CodingKeys: Int, CodingKey {
        case first = 1
        case last = 31
        case past = 32
        case far = 40
    }

    init(first: String?, last: String?, past: Int64?, far: String?) {
        self.first = first
        self.last = last
        self.past = past
        self.far = far
    }

    init(fields reader: borrowing BinaryReader) throws {
        first = try reader.decodeIfPresent(String.self, CodingKeys.first)
        last = try reader.decodeIfPresent(String.self, CodingKeys.last)
        past = try reader.decodeIfPresent(Int64.self, CodingKeys.past)
        far = try reader.decodeIfPresent(String.self, CodingKeys.far)
    }
}

/// Says which path decoded it: `readDirectly` is not on the wire, and only `init(fields:)` sets it.
struct DirectProbe: Codable, Equatable, DirectDecodable {
    var value: Int64
    var readDirectly = false

    enum CodingKeys: Int, CodingKey { case value = 1 }

    init(fields reader: borrowing BinaryReader) throws {
        value = try reader.decode(Int64.self, CodingKeys.value)
        readDirectly = true
    }

    init(value: Int64, readDirectly: Bool) {
        self.value = value
        self.readDirectly = readDirectly
    }
}

/// Decodes `bytes` as `T` with the reader and with the generic decoder: the same value or the same
/// kind of error.
func expectSameOutcome<T: Codable & Equatable>(
    _ type: T.Type, _ bytes: [UInt8], maxDepth: Int = 64, sourceLocation: SourceLocation = #_sourceLocation
) {
    let generic = DecodingOutcome(type, bytes, direct: false, maxDepth: maxDepth)
    let direct = DecodingOutcome(type, bytes, direct: true, maxDepth: maxDepth)
    #expect(direct == generic, "\(T.self) from \(hex(bytes))", sourceLocation: sourceLocation)
}

/// The reader (`DirectDecodable`) against the generic decoder: the golden vectors, random values,
/// unknown fields, repeats and merges, and damaged bytes.
@Suite struct DirectDecodingTests {
    static func golden(_ name: String) throws -> [UInt8] {
        bytes(hex: try String(contentsOf: vectorsDirectory.appendingPathComponent("\(name).hex"), encoding: .utf8))
    }

    static let collections = Collections(
        optionals: [1, nil], messages: [Address(street: "a", city: "b", postalCode: "c", country: "d")],
        nested: [[1], []], byNumber: [-1: "minus one", 2: "two"], optionalStrings: [nil, "x"])

    /// A `DirectDecodable` message reads its own fields unless `readsDirectly` is off, which this
    /// suite's comparisons rely on.
    @Test func readsDirectlyChoosesThePath() throws {
        var generic = BinaryDecoder()
        generic.readsDirectly = false
        #expect(try BinaryDecoder().decode(DirectProbe.self, from: [0x08, 0x54]) == DirectProbe(value: 42, readDirectly: true))
        #expect(try generic.decode(DirectProbe.self, from: [0x08, 0x54]) == DirectProbe(value: 42, readDirectly: false))
        // A buffer of another shape goes the same way.
        #expect(try BinaryDecoder().decode(DirectProbe.self, from: [0x08, 0x54][...]).readDirectly)
    }

    /// Each golden vector decodes directly to its value, as the generic decoder decodes it.
    @Test func everyGoldenVectorDecodesToItsValueOnBothPaths() throws {
        func check<T: Codable & Equatable>(_ name: String, _ type: T.Type, _ value: T) throws {
            let bytes = try Self.golden(name)
            #expect(try BinaryDecoder().decode(type, from: bytes) == value, "\(name)")
            #expect(try BinaryDecoder.generic.decode(type, from: bytes) == value, "\(name)")
        }
        try check("customer-basic", Customer.self, Fixtures.basic)
        try check("customer-full", Customer.self, Fixtures.full)
        try check("scalars-min", AllWidths.self, AllWidths.min)
        try check("scalars-max", AllWidths.self, AllWidths.max)
        try check("top-level-int-array", DirectTopLevelInts.self, try #require(
            try? BinaryDecoder().decode(DirectTopLevelInts.self, from: BinaryEncoder().encode([1, -1, 300]))))
        #expect(try BinaryDecoder().decode(DirectTopLevelInts.self, from: Self.golden("top-level-int-array")).values == [1, -1, 300])
        #expect(try BinaryDecoder().decode(DirectTopLevelString.self, from: Self.golden("top-level-string")).value == "héllo 👋")
        expectSameOutcome(DirectTopLevelString.self, try Self.golden("top-level-string"))
        try check("optionals-and-messages", Collections.self, Self.collections)
        try check("enums", Signals.self, Signals(one: .high, maybe: .fault, many: [.off, .high, .fault]))
    }

    /// Values that are not in the vectors, written by the encoder: both paths read them back.
    @Test func randomCustomersDecodeTheSameOnBothPaths() throws {
        var random = SeededGenerator(seed: 15)
        func text() -> String {
            let pool = ["", "a", "Ålands", "日本", "👩‍💼", String(repeating: "x", count: 130), "Oy Ab"]
            return pool[Int(random.next() % UInt64(pool.count))]
        }
        for _ in 0..<200 {
            let customer = Customer(
                id: UUID(), name: text(), email: random.next() % 2 == 0 ? nil : text(), phone: random.next() % 3 == 0 ? text() : nil,
                address: Address(street: text(), city: text(), postalCode: text(), country: text()),
                status: CustomerStatus.allCases[Int(random.next() % 3)], tier: Tier.allCases[Int(random.next() % 3)],
                balance: Decimal(Int64(bitPattern: random.next()) % 1_000_000) / 100,
                createdAt: Date(timeIntervalSinceReferenceDate: Double(Int64(bitPattern: random.next()) % 1_000_000_000) / 7),
                tags: (0..<Int(random.next() % 4)).map { _ in text() },
                visits: (0..<Int(random.next() % 5)).map { _ in Int(bitPattern: UInt(random.next())) >> Int(random.next() % 64) },
                notes: random.next() % 2 == 0 ? [:] : ["k": text(), "l" + text(): text()],
                lastContact: random.next() % 2 == 0 ? nil : Date(timeIntervalSinceReferenceDate: -1.5),
                rating: random.next() % 2 == 0 ? nil : Double(bitPattern: random.next()))
            let bytes = try BinaryEncoder().encode(customer)
            #expect(try BinaryDecoder().decode(Customer.self, from: bytes) == customer)
            expectSameOutcome(Customer.self, bytes)
        }
    }

    /// Fields the type does not know, of every wire type, below and above the reader's table of 32
    /// numbers, are skipped (ENCODING.md §8); a repeated scalar takes its last value, a repeated
    /// message field merges, and a repeated field collects every occurrence.
    @Test func unknownFieldsAreSkippedAndRepeatsReadAsTheGenericDecoderReadsThem() throws {
        let basic = try Self.golden("customer-basic")
        let unknown: [UInt8] = [
            0x78, 0x05,  // field 15, varint
            0x81, 0x01, 1, 2, 3, 4, 5, 6, 7, 8,  // field 16, fixed64
            0x8a, 0x01, 0x02, 0xff, 0xff,  // field 17, length-delimited (not UTF-8, never read)
            0x95, 0x01, 1, 2, 3, 4,  // field 18, fixed32
            0xa0, 0x06, 0x01,  // field 100, varint
            0xfa, 0xff, 0xff, 0xff, 0x0f, 0x00,  // field 536870911, empty length-delimited
        ]
        let expected = Fixtures.basic
        for bytes in [unknown + basic, basic + unknown, Array(basic[0..<18]) + unknown + Array(basic[18...])] {
            #expect(try BinaryDecoder().decode(Customer.self, from: bytes) == expected)
            expectSameOutcome(Customer.self, bytes)
        }
        // The name twice: the last wins. The address twice: its occurrences merge (city replaced).
        let renamed = basic + [0x12, 0x01, 0x42] + [0x2a, 0x03, 0x12, 0x01, 0x58]
        var merged = expected
        merged.name = "B"
        merged.address.city = "X"
        #expect(try BinaryDecoder().decode(Customer.self, from: renamed) == merged)
        expectSameOutcome(Customer.self, renamed)
        // Tags and visits spread over occurrences, packed and not, mixed.
        let spread = basic + [0x52, 0x01, 0x61, 0x5a, 0x01, 0x02, 0x58, 0x03, 0x52, 0x00, 0x5a, 0x02, 0x04, 0x06]
        let decoded = try BinaryDecoder().decode(Customer.self, from: spread)
        #expect(decoded.tags == ["a", ""] && decoded.visits == [1, -2, 2, 3])
        expectSameOutcome(Customer.self, spread)
    }

    /// Messages not in the order every encoder of ours writes (fields in ascending order, each
    /// once): fields out of order, a field repeated apart or side by side, a field whose
    /// occurrences have two wire types, and a message in reverse order damaged at every byte, read
    /// as the generic decoder reads them. (What a reader that reads in one pass while the fields
    /// are in order must still get right: clientread20's, docs/performance/HISTORY.md.)
    @Test func fieldsOutOfOrderRepeatedOrOfTwoWireTypesReadAsTheGenericDecoderReadsThem() throws {
        for name in ["customer-basic", "customer-full"] {
            let fields = wireFields(try Self.golden(name))
            #expect(fields.count > 5, "\(name)")
            let reversed = fields.reversed().flatMap { $0 }
            var inputs = [reversed]
            for index in fields.indices.dropLast() {
                var swapped = fields
                swapped.swapAt(index, index + 1)
                inputs.append(swapped.flatMap { $0 })
                var doubled = fields
                doubled.insert(fields[index], at: index + 1)
                inputs.append(doubled.flatMap { $0 })
                inputs.append(fields.flatMap { $0 } + fields[index])
                inputs.append(fields[index] + fields.flatMap { $0 })
            }
            for input in inputs { expectSameOutcome(Customer.self, input) }
            for position in reversed.indices {
                var damaged = reversed
                damaged[position] ^= 0x5a
                expectSameOutcome(Customer.self, damaged)
            }
        }
        let fields = wireFields(try Self.golden("customer-basic"))
        let nameIndex = try #require(fields.firstIndex { $0.first == 0x12 })
        // The id and the name swapped: the same customer.
        var swapped = fields
        swapped.swapAt(0, nameIndex)
        #expect(try BinaryDecoder().decode(Customer.self, from: swapped.flatMap { $0 }) == Fixtures.basic)
        // The name (field 2) side by side with an occurrence of another wire type: the last one
        // is read, a string after a number is the name, a number after it a type mismatch.
        let others: [[UInt8]] = [[0x10, 0x05], [0x15, 1, 2, 3, 4], [0x11, 1, 2, 3, 4, 5, 6, 7, 8]]
        for other in others {
            for pair in [other + fields[nameIndex], fields[nameIndex] + other] {
                var changed = fields
                changed[nameIndex] = pair
                let bytes = changed.flatMap { $0 }
                expectSameOutcome(Customer.self, bytes)
                let outcome = DecodingOutcome(Customer.self, bytes, direct: true)
                #expect(outcome == (pair.first == 0x12 ? .failure(.typeMismatch) : try .decoded(Fixtures.basic)))
            }
        }
    }

    /// Fields of the shape the reader's first pass does not read itself (a tag, or a length, of
    /// three bytes: overlong varints, which protobuf accepts) are read from where their value
    /// begins as the others are: every field of the golden customers so written, one at a time
    /// and all at once, decodes to the same customer on both paths (BinaryReader's tables hold
    /// where a field's value begins, docs/performance/HISTORY.md "card30").
    @Test func fieldsWithOverlongTagsAndLengthsReadAsTheOthers() throws {
        for (name, expected) in [("customer-basic", Fixtures.basic), ("customer-full", Fixtures.full)] {
            let fields = wireFields(try Self.golden(name))
            #expect(fields.count > 5, "\(name)")
            var inputs = [fields.map(Self.overlong).flatMap { $0 }]
            for index in fields.indices {
                var changed = fields
                changed[index] = Self.overlong(fields[index])
                inputs.append(changed.flatMap { $0 })
            }
            for input in inputs {
                #expect(try BinaryDecoder().decode(Customer.self, from: input) == expected, "\(name)")
                expectSameOutcome(Customer.self, input)
            }
        }
    }

    /// `field` (one whole field) with its tag, and a length-delimited field's length, written as
    /// three-byte varints (both are below 2^21 in the golden vectors).
    static func overlong(_ field: [UInt8]) -> [UInt8] {
        var position = 0
        func varint() -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while position < field.count {
                let byte = field[position]
                position += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            return value
        }
        func threeBytes(_ value: UInt64) -> [UInt8] {
            [UInt8(value & 0x7f) | 0x80, UInt8((value >> 7) & 0x7f) | 0x80, UInt8((value >> 14) & 0x7f)]
        }
        let tag = varint()
        var bytes = threeBytes(tag)
        if tag & 7 == 2 { bytes += threeBytes(varint()) }
        return bytes + field[position...]
    }

    /// An empty packed run (`5a 00`) holds no elements wherever it comes (ENCODING.md §5), also last
    /// or alone, on both paths; an empty occurrence of a string array stays one empty string. (The
    /// generic decoder took a trailing empty run for one more element and threw `valueNotFound`,
    /// which the `direct` fuzz target found in a `GetCustomerCardRequest`.)
    @Test func anEmptyPackedRunHoldsNoElementsEvenAtTheEnd() throws {
        let basic = try Self.golden("customer-basic")
        let cases: [(bytes: [UInt8], visits: [Int], tags: [String])] = [
            (basic + [0x5a, 0x00], [], []),
            (basic + [0x58, 0x06, 0x5a, 0x00], [3], []),
            (basic + [0x5a, 0x00, 0x58, 0x06, 0x5a, 0x00, 0x5a, 0x00], [3], []),
            (basic + [0x5a, 0x01, 0x02, 0x5a, 0x00, 0x52, 0x00], [1], [""]),
        ]
        for (bytes, visits, tags) in cases {
            let decoded = try BinaryDecoder.generic.decode(Customer.self, from: bytes)
            #expect(decoded.visits == visits && decoded.tags == tags, "\(bytes)")
            expectSameOutcome(Customer.self, bytes)
        }
    }

    /// Damaged bytes: every kind of fault ENCODING.md §9 lists, at every place, fails on the direct
    /// path with the error kind of the generic one (and never traps).
    @Test func damagedBytesFailWithTheGenericDecodersErrorKind() throws {
        let inputs = try ["customer-basic", "customer-full"].map(Self.golden)
        var random = SeededGenerator(seed: 1_500)
        for input in inputs {
            for cut in 0..<input.count { expectSameOutcome(Customer.self, Array(input[..<cut])) }
            for position in 0..<input.count {
                for replacement: UInt8 in [0x00, 0x01, 0x07, 0x0b, 0x7f, 0x80, 0xff] {
                    var damaged = input
                    damaged[position] = replacement
                    expectSameOutcome(Customer.self, damaged)
                }
            }
            for _ in 0..<300 {
                var damaged = input
                for _ in 0...(random.next() % 4) {
                    let position = Int(random.next() % UInt64(damaged.count))
                    switch random.next() % 3 {
                    case 0: damaged[position] = UInt8(truncatingIfNeeded: random.next())
                    case 1: damaged.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
                    default: damaged.remove(at: position)
                    }
                    if damaged.isEmpty { break }
                }
                expectSameOutcome(Customer.self, damaged)
            }
        }
        for bytes in [[0x08, 0x07], [0x08, 0x02, 0x1a, 0x02, 0x01, 0x09], [0x08, 0x00, 0x10, 0x05], [0x0a, 0x00]] as [[UInt8]] {
            expectSameOutcome(Signals.self, bytes)
        }
        let widths = try Self.golden("scalars-max")
        for position in 0..<widths.count {
            var damaged = widths
            damaged[position] ^= 0x41
            expectSameOutcome(AllWidths.self, damaged)
        }
    }

    /// Errors carry the path to the faulty field, as the generic decoder's do.
    @Test func errorsNameTheFieldAndTheNestedPath() throws {
        let basic = try Self.golden("customer-basic")
        // The address (bytes 27..<69) replaced by one whose city is a varint.
        let address: [UInt8] = [0x0a, 0x01, 0x61, 0x10, 0x01, 0x1a, 0x01, 0x63, 0x22, 0x01, 0x64]
        let error = try decodingError(
            Customer.self, Array(basic[..<27]) + [0x2a, UInt8(address.count)] + address + Array(basic[69...]))
        #expect(error.kind == .typeMismatch)
        #expect(error.context.codingPath.map(\.stringValue) == ["address", "city"])
        #expect(error.context.debugDescription.contains("field 2: expected wire type 2 (length-delimited)"))
        let missing = try decodingError(Customer.self, Array(basic[18...]))
        guard case .keyNotFound(let key, _) = missing else { throw missing }
        #expect(key.stringValue == "id")
        let unknownCase = try decodingError(Signals.self, [0x08, 0x07])
        #expect(unknownCase.context.debugDescription.contains("field 1 (one): 7 is not a value of the enum Signal"))
        #expect(unknownCase.context.codingPath.map(\.stringValue) == ["one"])
    }

    /// Nesting deeper than `maxDepth` is refused on both paths.
    @Test func theDepthLimitHoldsOnBothPaths() throws {
        let basic = try Self.golden("customer-basic")
        expectSameOutcome(Customer.self, basic, maxDepth: 0)
        #expect(DecodingOutcome(Customer.self, basic, direct: true, maxDepth: 0) == .failure(.dataCorrupted))
        expectSameOutcome(Collections.self, try Self.golden("optionals-and-messages"), maxDepth: 1)
    }

    /// A message nested past the levels the reader keeps tables for (8) is read by walking it, to
    /// the same value, and damaged anywhere fails with the generic decoder's error: kind, path and
    /// message alike.
    @Test func optionalFieldsAtAndPastTheTablesReadAsTheGenericDecoderReadsThem() throws {
        for first in [nil, "a"] as [String?] {
            for last in [nil, "", "last slot, longer than fifteen"] as [String?] {
                for past in [nil, 0, -5] as [Int64?] {
                    for far in [nil, "far"] as [String?] {
                        let value = DirectFarFields(first: first, last: last, past: past, far: far)
                        let bytes = try BinaryEncoder().encode(value)
                        #expect(try BinaryDecoder().decode(DirectFarFields.self, from: bytes) == value)
                        expectSameOutcome(DirectFarFields.self, bytes)
                    }
                }
            }
        }
        // Repeated: the last occurrence wins, with or without a slot; of another wire type, refused.
        let repeated: [UInt8] = [0xfa, 0x01, 0x01, 0x61, 0xfa, 0x01, 0x01, 0x62, 0xc2, 0x02, 0x01, 0x78, 0xc2, 0x02, 0x01, 0x79]
        #expect(try BinaryDecoder().decode(DirectFarFields.self, from: repeated)
                == DirectFarFields(first: nil, last: "b", past: nil, far: "y"))
        expectSameOutcome(DirectFarFields.self, repeated)
        for mismatched: [UInt8] in [[0xf8, 0x01, 0x01], [0xc0, 0x02, 0x01], [0x82, 0x02, 0x01, 0x61]] {
            #expect(throws: DecodingError.self) { try BinaryDecoder().decode(DirectFarFields.self, from: mismatched) }
            expectSameOutcome(DirectFarFields.self, mismatched)
        }
    }

    @Test func messagesNestedPastTheTablesReadAsTheGenericDecoderReadsThem() throws {
        let tree = DirectTree.chain(12)
        let bytes = try BinaryEncoder().encode(tree)
        #expect(try BinaryDecoder().decode(DirectTree.self, from: bytes) == tree)
        expectSameOutcome(DirectTree.self, bytes)
        for maxDepth in [7, 8, 9, 12, 13] { expectSameOutcome(DirectTree.self, bytes, maxDepth: maxDepth) }
        for position in stride(from: 0, to: bytes.count, by: 3) {
            var damaged = bytes
            damaged[position] ^= 0x5a
            func failure(_ decoder: BinaryDecoder) -> String {
                do {
                    return "value \(try decoder.decode(DirectTree.self, from: damaged))"
                } catch let error as DecodingError {
                    let context = error.context
                    return "\(error.kind) \(context.codingPath.map(\.stringValue)) \(context.debugDescription)"
                } catch {
                    return "other \(error)"
                }
            }
            #expect(failure(BinaryDecoder()) == failure(BinaryDecoder.generic), "byte \(position)")
        }
    }
}

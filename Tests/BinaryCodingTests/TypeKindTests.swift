@testable import BinaryCoding
import Foundation
import Testing

/// `Int`, `Int?`, `Int??`, …: `height + 1` distinct types, made at run time.
func optionalTower<T>(_ type: T.Type, height: Int) -> [Any.Type] {
    height == 0 ? [type] : [type] + optionalTower(Optional<T>.self, height: height - 1)
}

/// `[String: Int]`, `[String: [String: Int]]`, …: `height` distinct dictionary types.
private func dictionaryTower<T>(_ type: T.Type, height: Int) -> [Any.Type] {
    height == 0 ? [] : [[String: T].self] + dictionaryTower([String: T].self, height: height - 1)
}

private enum Color: Int, Codable { case red = 1 }

@Suite struct TypeKindTests {
    static let cases: [(type: Any.Type, kind: TypeKind)] = [
        (String.self, .string), (Int.self, .int), (Int64.self, .int64), (UInt8.self, .uint8), (Bool.self, .bool),
        (Double.self, .double), (Float.self, .float), (Date.self, .date), (Decimal.self, .decimal), (UUID.self, .uuid),
        (Data.self, .data), (URL.self, .url),
        (Int?.self, .optional), (Int??.self, .optional), (Address?.self, .optional), ([String: Int]?.self, .optional),
        ([String: Int].self, .dictionary), ([Int: [String?]].self, .dictionary), ([String: Int?].self, .dictionary),
        ([Int?].self, .other), ([Address?].self, .other), ([[String: Int]].self, .other), (Address.self, .other),
        (Color.self, .intEnum), (Customer.self, .other),
    ]

    @Test func classifiesOptionalsDictionariesAndPrimitives() {
        for (type, kind) in Self.cases {
            #expect(TypeKind.classify(type) == kind, "\(type)")
            // Twice from the shared cache: the first lookup may insert, the second must find it.
            #expect(TypeKind.of(type) == kind, "\(type)")
            #expect(TypeKind.of(type) == kind, "\(type)")
        }
    }

    @Test func aFullCacheStillAnswersRight() {
        let cache = TypeKindCache<8>()
        let types = optionalTower(Int.self, height: 20) + dictionaryTower(Int.self, height: 10)
        for _ in 0..<2 {
            for (position, type) in types.enumerated() {
                let expected: TypeKind = position == 0 ? .int : position <= 20 ? .optional : .dictionary
                #expect(cache.kind(of: type) == expected, "\(type)")
            }
        }
        #expect(cache.count == 8)
    }

    @Test func concurrentLookupsAgree() async {
        let small = TypeKindCache<8>()
        let large = TypeKindCache<64>()
        let types = optionalTower(String.self, height: 12) + dictionaryTower(String.self, height: 12)
        let wrong = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for _ in 0..<50 {
                        for (position, type) in types.enumerated() {
                            let expected: TypeKind = position == 0 ? .string : position <= 12 ? .optional : .dictionary
                            if small.kind(of: type) != expected { wrong += 1 }
                            if large.kind(of: type) != expected { wrong += 1 }
                        }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
        #expect(large.count == types.count)
    }
}

/// Keeps the encoder or decoder a value was given, to use it again while a later value codes.
private final class Keeper {
    var encoder: (any Encoder)?
    var decoder: (any Decoder)?
}

private enum PairKeys: Int, CodingKey { case first = 1, second = 2 }
private enum ValueKeys: Int, CodingKey { case number = 1 }

/// Field 1 keeps its coder; field 2 writes or reads through the kept one while it codes.
private struct KeptCoder: Codable {
    let keeper: Keeper
    var number: Int
    var seenThroughKept: Int?

    init(keeper: Keeper, number: Int) {
        self.keeper = keeper
        self.number = number
    }

    init(from decoder: any Decoder) throws {
        guard let keeper = (decoder.userInfo[CodingUserInfoKey(rawValue: "keeper")!] as? UnsafeSendable<Keeper>)?.value else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no keeper"))
        }
        self.keeper = keeper
        number = try decoder.container(keyedBy: ValueKeys.self).decode(Int.self, forKey: .number)
        if let kept = keeper.decoder {
            seenThroughKept = try kept.container(keyedBy: ValueKeys.self).decode(Int.self, forKey: .number)
        } else {
            keeper.decoder = decoder
        }
    }

    func encode(to encoder: any Encoder) throws {
        if let kept = keeper.encoder {
            var stale = kept.container(keyedBy: ValueKeys.self)
            try stale.encode(99, forKey: .number)
        } else {
            keeper.encoder = encoder
        }
        var container = encoder.container(keyedBy: ValueKeys.self)
        try container.encode(number, forKey: .number)
    }
}

private struct Pair: Codable {
    var first: KeptCoder
    var second: KeptCoder

    typealias CodingKeys = PairKeys
}

/// Plain sibling messages, for comparison with the kept-coder ones.
private struct PlainPair: Codable, Equatable {
    struct Value: Codable, Equatable {
        var number: Int
        typealias CodingKeys = ValueKeys
    }
    var first: Value
    var second: Value
    typealias CodingKeys = PairKeys
}

/// Coders are reused between sibling values within one call; one a value kept must not be.
@Suite struct CoderReuseTests {
    @Test func aKeptEncoderIsNotReusedForTheNextValue() throws {
        let keeper = Keeper()
        let pair = Pair(first: KeptCoder(keeper: keeper, number: 1), second: KeptCoder(keeper: keeper, number: 2))
        #expect(throws: EncodingError.self) { try BinaryEncoder().encode(pair) }
    }

    @Test func aKeptDecoderStillReadsItsOwnValue() throws {
        let bytes = try BinaryEncoder().encode(PlainPair(first: .init(number: 1), second: .init(number: 2)))
        var decoder = BinaryDecoder()
        let keeper = Keeper()
        decoder.userInfo[CodingUserInfoKey(rawValue: "keeper")!] = UnsafeSendable(keeper)
        let pair = try decoder.decode(Pair.self, from: bytes)
        #expect(pair.first.number == 1)
        #expect(pair.second.number == 2)
        #expect(pair.second.seenThroughKept == 1)
    }

    @Test func siblingsEncodeAsWhenEachHadItsOwnCoder() throws {
        let customers = [Fixtures.full, Fixtures.basic, Fixtures.full]
        // An array at the top is field 1, one length-delimited occurrence per message.
        var expected: [UInt8] = []
        for customer in customers {
            let alone = try BinaryEncoder().encode(customer)
            expected.append(0x0A)
            Varint.append(UInt64(alone.count), to: &expected)
            expected += alone
        }
        let bytes = try BinaryEncoder().encode(customers)
        #expect(bytes == expected)
        #expect(try BinaryDecoder().decode([Customer].self, from: bytes) == customers)
    }

    @Test func errorsInALaterSiblingNameItsOwnPath() throws {
        struct Holder: Codable {
            var first: PlainPair.Value
            var second: PlainPair.Value
            typealias CodingKeys = PairKeys
        }
        // Field 2's value has field 1 as a string: a wire type mismatch inside `second`.
        let bytes: [UInt8] = [0x0A, 0x02, 0x08, 0x02, 0x12, 0x03, 0x0A, 0x01, 0x41]
        let error = try decodingError(Holder.self, bytes)
        guard case .typeMismatch(_, let context) = error else {
            Issue.record("expected a type mismatch, got \(error)")
            return
        }
        #expect(context.codingPath.map(\.intValue) == [2, 1])
    }

    @Test func aSecondKeyedContainerLeavesTheFirstItsMessage() throws {
        /// Asks its decoder for two keyed containers, reading the second first.
        struct Twice: Decodable {
            var first: Int
            var second: Int
            init(from decoder: any Decoder) throws {
                let one = try decoder.container(keyedBy: ValueKeys.self)
                let two = try decoder.container(keyedBy: ValueKeys.self)
                second = try two.decode(Int.self, forKey: .number)
                first = try one.decode(Int.self, forKey: .number)
            }
        }
        struct Holder: Decodable {
            var value: Twice
            enum CodingKeys: Int, CodingKey { case value = 1 }
        }
        let pair = try BinaryEncoder().encode(PlainPair(first: .init(number: 7), second: .init(number: 8)))
        let held = try BinaryDecoder().decode(Holder.self, from: pair).value
        #expect(held.first == 7)
        #expect(held.second == 7)
        let top = try BinaryDecoder().decode(Twice.self, from: BinaryEncoder().encode(PlainPair.Value(number: 5)))
        #expect(top.first == 5)
        #expect(top.second == 5)
        // An array element's decoder takes the next element for each container it is asked for.
        let elements = try BinaryEncoder().encode([PlainPair.Value(number: 1), PlainPair.Value(number: 2)])
        let fromArray = try BinaryDecoder().decode([Twice].self, from: elements)
        #expect(fromArray.count == 1)
        #expect(fromArray.first?.first == 1)
        #expect(fromArray.first?.second == 2)
    }

    @Test func userInfoReachesNestedValues() throws {
        struct Probe: Codable {
            var seen: String
            init(seen: String) { self.seen = seen }
            init(from decoder: any Decoder) throws {
                seen = decoder.userInfo[CodingUserInfoKey(rawValue: "tag")!] as? String ?? "none"
            }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(encoder.userInfo[CodingUserInfoKey(rawValue: "tag")!] as? String ?? "none")
            }
        }
        struct Outer: Codable {
            var probes: [Probe]
            enum CodingKeys: Int, CodingKey { case probes = 1 }
        }
        var encoder = BinaryEncoder()
        encoder.userInfo[CodingUserInfoKey(rawValue: "tag")!] = "written"
        var decoder = BinaryDecoder()
        decoder.userInfo[CodingUserInfoKey(rawValue: "tag")!] = "read"
        let bytes = try encoder.encode(Outer(probes: [Probe(seen: ""), Probe(seen: "")]))
        #expect(bytes == [0x0A, 0x07] + Array("written".utf8) + [0x0A, 0x07] + Array("written".utf8))
        #expect(try decoder.decode(Outer.self, from: bytes).probes.map(\.seen) == ["read", "read"])
    }
}

/// Carries a non-Sendable test object into `userInfo`, which wants `any Sendable`: the tests
/// use it from one thread only.
private struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

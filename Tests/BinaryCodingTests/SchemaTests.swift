import BinaryCoding
import Testing

/// A message that refers to itself through an optional and an array.
final class TreeNode: Codable {
    let name: String
    let parent: TreeNode?
    let children: [TreeNode]
    enum CodingKeys: Int, CodingKey { case name = 1, parent = 2, children = 3 }
}

/// A type that travels as the single value it wraps.
struct Wrapped: Codable {
    var text: String
    init(from decoder: any Decoder) throws { text = try decoder.singleValueContainer().decode(String.self) }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

struct HoldsWrapped: Codable {
    var wrapped: Wrapped
    var signals: [String: Signal]
    enum CodingKeys: Int, CodingKey { case wrapped = 1, signals = 2 }
}

struct StringKeys: Codable {
    var name: String
}

enum Unlisted: Int, Codable { case one = 1 }

struct HoldsUnlisted: Codable {
    var unlisted: Unlisted
    enum CodingKeys: Int, CodingKey { case unlisted = 1 }
}

/// `Schema.of` describes a type as the decoder reads it: numbers from the coding keys, labels
/// from optionals and collections, wire types from ENCODING.md §2.
@Suite struct SchemaTests {
    @Test func aMessageIsDescribedFieldByFieldWithNestedMessagesAndEnums() throws {
        let schema = try Schema.of([Customer.self, Signals.self])
        let customer = try #require(schema.message(named: "Customer"))
        #expect(customer.fields.map(\.number) == Array(1...14))
        #expect(customer.field(named: "id") == FieldSchema(number: 1, name: "id", label: .singular, type: "uuid", wireType: 2))
        #expect(customer.field(named: "email")?.label == .optional)
        #expect(customer.field(named: "address") == FieldSchema(number: 5, name: "address", label: .singular, type: "Address", wireType: 2))
        #expect(customer.field(named: "status") == FieldSchema(number: 6, name: "status", label: .singular, type: "CustomerStatus", wireType: 2))
        #expect(schema.enumeration(named: "CustomerStatus")?.values.map(\.text) == ["active", "dormant", "closed"])
        #expect(customer.field(named: "tier") == FieldSchema(number: 7, name: "tier", label: .singular, type: "Tier", wireType: 0))
        #expect(customer.field(named: "balance")?.type == "decimal")
        #expect(customer.field(named: "createdAt") == FieldSchema(number: 9, name: "createdAt", label: .singular, type: "timestamp", wireType: 1))
        #expect(customer.field(named: "visits") == FieldSchema(number: 11, name: "visits", label: .repeated, type: "sint64", wireType: 0))
        #expect(customer.field(named: "notes")
            == FieldSchema(number: 12, name: "notes", label: .map, type: "string", keyType: "string", wireType: 2))
        #expect(schema.message(named: "Address")?.fields.map(\.name) == ["street", "city", "postalCode", "country"])
        #expect(schema.enumeration(named: "Signal")?.values == [
            EnumValueSchema(name: "off", number: 0), EnumValueSchema(name: "low", number: 1),
            EnumValueSchema(name: "high", number: 2), EnumValueSchema(name: "fault", number: -1),
        ])
        #expect(schema.message(named: "Signals")?.field(named: "many")
            == FieldSchema(number: 3, name: "many", label: .repeated, type: "Signal", wireType: 0))
    }

    @Test func wrappedElementsAreSpelledAsTheirWrapperHolds() throws {
        let collections = try #require(try Schema.of([Collections.self]).message(named: "Collections"))
        #expect(collections.field(named: "optionals") == FieldSchema(number: 3, name: "optionals", label: .repeated, type: "sint64?", wireType: 2))
        #expect(collections.field(named: "nested") == FieldSchema(number: 5, name: "nested", label: .repeated, type: "[sint64]", wireType: 2))
        #expect(collections.field(named: "optionalValues")
            == FieldSchema(number: 9, name: "optionalValues", label: .map, type: "sint64?", keyType: "string", wireType: 2))
        #expect(collections.field(named: "mapsInArray")?.type == "[string: sint64]")
    }

    @Test func aSelfReferenceIsDescribedOnceAndAWrapperIsItsValue() throws {
        let schema = try Schema.of([TreeNode.self, HoldsWrapped.self])
        #expect(schema.messages.map(\.name) == ["TreeNode", "HoldsWrapped"])
        #expect(schema.message(named: "TreeNode")?.fields.map(\.type) == ["string", "TreeNode", "TreeNode"])
        let holds = try #require(schema.message(named: "HoldsWrapped"))
        #expect(holds.field(named: "wrapped") == FieldSchema(number: 1, name: "wrapped", label: .singular, type: "string", wireType: 2))
        #expect(holds.field(named: "signals")?.keyType == "string")
        #expect(holds.field(named: "signals")?.type == "Signal")
    }

    @Test func aTypeWithoutFieldNumbersCannotBeDescribed() throws {
        #expect(throws: DecodingError.self) { try Schema.of([StringKeys.self]) }
    }

    @Test func anEnumWhoseValuesCannotBeListedCannotBeDescribed() throws {
        let error = #expect(throws: DecodingError.self) { try Schema.of([HoldsUnlisted.self]) }
        #expect("\(String(describing: error))".contains("Unlisted must be CaseIterable"))
    }

    @Test func theSchemaTravelsAsAMessageItself() throws {
        let schema = try Schema.of([Customer.self])
        #expect(try BinaryDecoder().decode(Schema.self, from: BinaryEncoder().encode(schema)) == schema)
    }
}

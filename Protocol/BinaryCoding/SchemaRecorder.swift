import Foundation

extension Schema {
    /// The schema of `types` and of every message and enum they reach. Each message type is
    /// described by running its own `init(from:)` against a recording decoder, so the fields are
    /// the coding keys the decoder really asks for, with the numbers and types it really reads.
    /// Throws for a type the binary format cannot carry (a key without an integer value).
    public static func of(_ types: [any Decodable.Type]) throws -> Schema {
        let recorder = SchemaRecorder()
        for type in types { _ = try recorder.describe(type) }
        return recorder.schema
    }

    /// The name a schema gives `type`: the Swift name without its module, e.g. `Address.Kind`.
    public static func name(of type: Any.Type) -> String { unqualifiedTypeName(type) }
}

/// A type, as a field refers to it.
struct TypeReference {
    var name: String
    var wireType: WireType
    var label: FieldLabel = .singular
    var keyType: String?
}

/// The containers the standard library's Optional, Array and Dictionary are, seen from their types.
private protocol OptionalSchemaShape { static var wrappedType: any Decodable.Type { get } }
private protocol ArraySchemaShape { static var elementType: any Decodable.Type { get } }
private protocol DictionarySchemaShape {
    static var keyType: any Decodable.Type { get }
    static var valueType: any Decodable.Type { get }
}

extension Optional: OptionalSchemaShape where Wrapped: Decodable {
    fileprivate static var wrappedType: any Decodable.Type { Wrapped.self }
}

extension Array: ArraySchemaShape where Element: Decodable {
    fileprivate static var elementType: any Decodable.Type { Element.self }
}

extension Dictionary: DictionarySchemaShape where Key: Decodable, Value: Decodable {
    fileprivate static var keyType: any Decodable.Type { Key.self }
    fileprivate static var valueType: any Decodable.Type { Value.self }
}

/// Builds a `Schema`, one type at a time.
final class SchemaRecorder {
    private(set) var schema = Schema()
    private var described: Set<ObjectIdentifier> = []
    /// Messages being described, whose references are given before their fields are known.
    private var inProgress: Set<ObjectIdentifier> = []
    /// Types that decode themselves from one value, and that value's reference.
    private var aliases: [ObjectIdentifier: TypeReference] = [:]

    /// Records `type` (and what it reaches) unless already done, and says how a field refers to it.
    func describe(_ type: any Decodable.Type) throws -> TypeReference {
        let kind = TypeKind.of(type)
        if let scalar = TypeKind.scalarSchemas[kind] { return TypeReference(name: scalar.name, wireType: scalar.wireType) }
        if let optional = type as? any OptionalSchemaShape.Type {
            var wrapped = try describe(optional.wrappedType)
            if wrapped.label == .singular { wrapped.label = .optional }
            return wrapped
        }
        if let array = type as? any ArraySchemaShape.Type {
            var element = try describe(array.elementType)
            if element.label != .singular { element = TypeReference(name: Self.spelled(element), wireType: .lengthDelimited) }
            element.label = .repeated
            return element
        }
        if let dictionary = type as? any DictionarySchemaShape.Type {
            let key = try describe(dictionary.keyType)
            var value = try describe(dictionary.valueType)
            if value.label != .singular { value = TypeReference(name: Self.spelled(value), wireType: .lengthDelimited) }
            value.label = .map
            value.keyType = key.name
            return value
        }
        let name = Schema.name(of: type)
        if kind == .intEnum, let enumType = type as? any (RawRepresentable<Int> & CaseIterable).Type {
            recordEnum(enumType, name: name) { Self.values(enumType) { EnumValueSchema(name: String(describing: $0), number: $0.rawValue) } }
            return TypeReference(name: name, wireType: .varint)
        }
        if let enumType = type as? any (RawRepresentable<String> & CaseIterable & Decodable).Type {
            recordEnum(enumType, name: name) { Self.values(enumType) { EnumValueSchema(name: String(describing: $0), text: $0.rawValue) } }
            return TypeReference(name: name, wireType: .lengthDelimited)
        }
        if let enumType = type as? any (RawRepresentable & CaseIterable).Type, let values = Self.unsignedValues(enumType) {
            // An unsigned raw value travels as itself through the type's own Codable: a plain varint too.
            recordEnum(enumType, name: name) { values }
            return TypeReference(name: name, wireType: .varint)
        }
        if kind == .intEnum || type is any RawRepresentable<String>.Type {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: [], debugDescription: "the enum \(name) must be CaseIterable for a schema to list its values"))
        }
        return try recordMessage(type, name: name)
    }

    private func recordEnum(_ type: Any.Type, name: String, _ values: () -> [EnumValueSchema]) {
        guard described.insert(ObjectIdentifier(type)).inserted else { return }
        schema.enums.append(EnumSchema(name: name, values: values()))
    }

    private static func values<E: CaseIterable>(_ type: E.Type, _ value: (E) -> EnumValueSchema) -> [EnumValueSchema] {
        E.allCases.map(value)
    }

    /// Records a message type; a type that decodes itself from a single value (a wrapper) is
    /// that value on the wire, and is referred to as it.
    private func recordMessage<T: Decodable>(_ type: T.Type, name: String) throws -> TypeReference {
        let id = ObjectIdentifier(type)
        if let alias = aliases[id] { return alias }
        let message = TypeReference(name: name, wireType: .lengthDelimited)
        guard !described.contains(id), !inProgress.contains(id) else { return message }
        inProgress.insert(id)
        defer { inProgress.remove(id) }
        let decoder = RecordingDecoder(recorder: self, records: true, codingPath: [])
        _ = try T(from: decoder)
        if let alias = decoder.alias {
            aliases[id] = alias
            return alias
        }
        described.insert(id)
        schema.messages.append(MessageSchema(name: name, fields: decoder.fields))
        return message
    }

    /// A stand-in value of `type`, for the `init(from:)` being recorded to go on with.
    func placeholder<T: Decodable>(_ type: T.Type, codingPath: [any CodingKey]) throws -> T {
        switch TypeKind.of(type) {
        case .string: return same("", T.self)
        case .int: return same(0 as Int, T.self)
        case .int64: return same(0 as Int64, T.self)
        case .int32: return same(0 as Int32, T.self)
        case .int16: return same(0 as Int16, T.self)
        case .int8: return same(0 as Int8, T.self)
        case .uint: return same(0 as UInt, T.self)
        case .uint64: return same(0 as UInt64, T.self)
        case .uint32: return same(0 as UInt32, T.self)
        case .uint16: return same(0 as UInt16, T.self)
        case .uint8: return same(0 as UInt8, T.self)
        case .bool: return same(false, T.self)
        case .double: return same(0 as Double, T.self)
        case .float: return same(0 as Float, T.self)
        case .date: return same(Date(timeIntervalSinceReferenceDate: 0), T.self)
        case .decimal: return same(Decimal(0), T.self)
        case .uuid: return same(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), T.self)
        case .data: return same(Data(), T.self)
        case .url: return same(URL(fileURLWithPath: "/"), T.self)
        case .intEnum, .textEnum, .optional, .dictionary, .other, .directMessage: break
        }
        if let cases = type as? any CaseIterable.Type, let first = Self.firstCase(cases) as? T { return first }
        guard codingPath.count < 64 else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: codingPath, debugDescription: "\(typeName(type)) contains itself outside an optional or array"))
        }
        // Optional, Array, Dictionary and messages: their own init, reading nothing (nil, empty).
        return try T(from: RecordingDecoder(recorder: self, records: false, codingPath: codingPath))
    }

    /// The cases of an enum with an unsigned integer raw value, or nil for another raw type.
    private static func unsignedValues<E: RawRepresentable & CaseIterable>(_ type: E.Type) -> [EnumValueSchema]? {
        guard E.RawValue.self is any UnsignedInteger.Type else { return nil }
        return E.allCases.map { value in
            EnumValueSchema(name: String(describing: value), number: (value.rawValue as? any UnsignedInteger).flatMap { Int(exactly: $0) })
        }
    }

    private static func firstCase<C: CaseIterable>(_ type: C.Type) -> Any? { C.allCases.first }

    /// How a wrapped element or value is named: `T?`, `[T]`, `[K: V]`.
    private static func spelled(_ reference: TypeReference) -> String {
        switch reference.label {
        case .singular: return reference.name
        case .optional: return "\(reference.name)?"
        case .repeated: return "[\(reference.name)]"
        case .map: return "[\(reference.keyType ?? ""): \(reference.name)]"
        }
    }
}

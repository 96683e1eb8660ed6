/// The messages and enums of a set of types as the encoder writes them: field names and numbers
/// from the coding keys, each field's type, label and wire type. Built by `Schema.of` (see
/// `SchemaRecorder`), served at run time by the reflection service and rendered into
/// Protocol/CUSTOMER-API.md, so the reference and the wire cannot disagree. Codable itself, with
/// field numbers, so a server can send it.
public struct Schema: Codable, Sendable, Hashable {
    /// Every message reachable from the described types, in the order first met.
    public var messages: [MessageSchema]
    /// Every enum reachable from the described types, in the order first met.
    public var enums: [EnumSchema]

    public init(messages: [MessageSchema] = [], enums: [EnumSchema] = []) {
        self.messages = messages
        self.enums = enums
    }

    enum CodingKeys: Int, CodingKey { case messages = 1, enums = 2 }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messages = try container.decodeIfPresent([MessageSchema].self, forKey: .messages) ?? []
        enums = try container.decodeIfPresent([EnumSchema].self, forKey: .enums) ?? []
    }

    public func message(named name: String) -> MessageSchema? { messages.first { $0.name == name } }
    public func enumeration(named name: String) -> EnumSchema? { enums.first { $0.name == name } }
}

/// One message type: a struct or class whose keys are field numbers.
public struct MessageSchema: Codable, Sendable, Hashable {
    /// The Swift type's name without its module, e.g. `UploadFileMessage.Header`.
    public var name: String
    /// In the order the type decodes them (for synthesized Codable: declaration order).
    public var fields: [FieldSchema]

    public init(name: String, fields: [FieldSchema]) {
        self.name = name
        self.fields = fields
    }

    enum CodingKeys: Int, CodingKey { case name = 1, fields = 2 }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        fields = try container.decodeIfPresent([FieldSchema].self, forKey: .fields) ?? []
    }

    public func field(named name: String) -> FieldSchema? { fields.first { $0.name == name } }
}

/// How many values a field holds (ENCODING.md §4 to §6).
public enum FieldLabel: Int, Codable, Sendable, CaseIterable {
    /// Exactly one value, always written: absent is an error.
    case singular = 0
    /// Absent means nil.
    case optional = 1
    /// Zero or more values, each an occurrence of the field (scalars packed).
    case repeated = 2
    /// Zero or more entries, each an occurrence holding the key as field 1 and the value as field 2.
    case map = 3
}

/// One field of a message.
public struct FieldSchema: Codable, Sendable, Hashable {
    public var number: UInt32
    /// The coding key's string value: the Swift property name.
    public var name: String
    public var label: FieldLabel
    /// The type of one value (an element, a map's value): a scalar (`string`, `sint64`, `uint32`,
    /// `bool`, `double`, `float`, `timestamp`, `decimal`, `uuid`, `bytes`, `url`) or the name of
    /// a message or enum of the same schema. An element that is itself optional or a collection
    /// travels in a wrapper message (ENCODING.md §5): its type is written `T?`, `[T]` or `[K: V]`.
    public var type: String
    /// A map's key type (a scalar or an enum); nil for other labels.
    public var keyType: String?
    /// The wire type of one value: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. Repeated
    /// scalars of wire type 0, 1 or 5 are packed into one length-delimited occurrence.
    public var wireType: UInt8

    public init(number: UInt32, name: String, label: FieldLabel, type: String, keyType: String? = nil, wireType: UInt8) {
        self.number = number
        self.name = name
        self.label = label
        self.type = type
        self.keyType = keyType
        self.wireType = wireType
    }

    enum CodingKeys: Int, CodingKey { case number = 1, name = 2, label = 3, type = 4, keyType = 5, wireType = 6 }
}

/// An enum: an `Int` raw value (its number, a plain varint) or a `String` raw value (its text).
public struct EnumSchema: Codable, Sendable, Hashable {
    public var name: String
    public var values: [EnumValueSchema]

    public init(name: String, values: [EnumValueSchema]) {
        self.name = name
        self.values = values
    }

    enum CodingKeys: Int, CodingKey { case name = 1, values = 2 }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        values = try container.decodeIfPresent([EnumValueSchema].self, forKey: .values) ?? []
    }
}

/// One case of an enum.
public struct EnumValueSchema: Codable, Sendable, Hashable {
    /// The Swift case name.
    public var name: String
    /// What travels for an enum with an `Int` raw value.
    public var number: Int?
    /// What travels for an enum with a `String` raw value.
    public var text: String?

    public init(name: String, number: Int? = nil, text: String? = nil) {
        self.name = name
        self.number = number
        self.text = text
    }

    enum CodingKeys: Int, CodingKey { case name = 1, number = 2, text = 3 }
}

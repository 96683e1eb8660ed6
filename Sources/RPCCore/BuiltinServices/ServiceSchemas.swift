import BinaryCoding

/// Field 1: the services to describe, by fully qualified name; none means every service.
public struct DescribeServicesRequest: Codable, Sendable, Hashable {
    public var services: [String]

    public init(services: [String] = []) {
        self.services = services
    }

    enum CodingKeys: Int, CodingKey { case services = 1 }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        services = try container.decodeIfPresent([String].self, forKey: .services) ?? []
    }
}

/// The services asked for, and every message and enum their methods reach.
public struct DescribeServicesResponse: Codable, Sendable, Hashable {
    /// Sorted by name.
    public var services: [ServiceSchema]
    public var messages: [MessageSchema]
    public var enums: [EnumSchema]

    public init(services: [ServiceSchema], messages: [MessageSchema], enums: [EnumSchema]) {
        self.services = services
        self.messages = messages
        self.enums = enums
    }

    enum CodingKeys: Int, CodingKey { case services = 1, messages = 2, enums = 3 }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        services = try container.decodeIfPresent([ServiceSchema].self, forKey: .services) ?? []
        messages = try container.decodeIfPresent([MessageSchema].self, forKey: .messages) ?? []
        enums = try container.decodeIfPresent([EnumSchema].self, forKey: .enums) ?? []
    }

    /// The messages and enums as one `Schema`, to look types up by name.
    public var schema: Schema { Schema(messages: messages, enums: enums) }
}

/// Field 1: fully qualified service name, 2: its methods in registration order.
public struct ServiceSchema: Codable, Sendable, Hashable {
    public var name: String
    public var methods: [MethodSchema]

    public init(name: String, methods: [MethodSchema]) {
        self.name = name
        self.methods = methods
    }

    enum CodingKeys: Int, CodingKey { case name = 1, methods = 2 }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        methods = try container.decodeIfPresent([MethodSchema].self, forKey: .methods) ?? []
    }
}

/// One method: its kind, the message types of its request and response (of each message, for a
/// stream), and what a caller needs, as the server declared it.
public struct MethodSchema: Codable, Sendable, Hashable {
    public var name: String
    public var kind: MethodKind
    public var request: String
    public var response: String
    public var requirement: String?
    /// What a caller should know beyond the messages (a rule, a refusal).
    public var summary: String?

    public init(name: String, kind: MethodKind, request: String, response: String, requirement: String?, summary: String?) {
        self.name = name
        self.kind = kind
        self.request = request
        self.response = response
        self.requirement = requirement
        self.summary = summary
    }

    enum CodingKeys: Int, CodingKey { case name = 1, kind = 2, request = 3, response = 4, requirement = 5, summary = 6 }
}

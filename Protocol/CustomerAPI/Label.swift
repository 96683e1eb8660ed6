/// A keyword or a role: managed lists that group contacts across all customers.
public struct Label: Codable, Sendable, Hashable {
    public enum Kind: Int, Codable, Sendable, CaseIterable {
        case keyword = 0, role = 1
    }

    public var id: Int64
    public var kind: Kind
    public var name: String
    /// How many contacts carry it.
    public var contactCount: Int64

    public init(id: Int64, kind: Kind, name: String, contactCount: Int64) {
        self.id = id
        self.kind = kind
        self.name = name
        self.contactCount = contactCount
    }

    enum CodingKeys: Int, CodingKey { case id = 1, kind = 2, name = 3, contactCount = 4 }
}

public struct CreateLabelRequest: Codable, Sendable, Hashable {
    public var kind: Label.Kind
    public var name: String

    public init(kind: Label.Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    enum CodingKeys: Int, CodingKey { case kind = 1, name = 2 }
}

public struct RenameLabelRequest: Codable, Sendable, Hashable {
    public var kind: Label.Kind
    public var name: String
    public var newName: String

    public init(kind: Label.Kind, name: String, newName: String) {
        self.kind = kind
        self.name = name
        self.newName = newName
    }

    enum CodingKeys: Int, CodingKey { case kind = 1, name = 2, newName = 3 }
}

/// Deleting a label that contacts carry needs `force`, which unassigns it from them.
public struct DeleteLabelRequest: Codable, Sendable, Hashable {
    public var kind: Label.Kind
    public var name: String
    public var force: Bool?

    public init(kind: Label.Kind, name: String, force: Bool? = nil) {
        self.kind = kind
        self.name = name
        self.force = force
    }

    enum CodingKeys: Int, CodingKey { case kind = 1, name = 2, force = 3 }
}

public struct DeleteLabelResponse: Codable, Sendable, Hashable {
    /// How many contacts it was unassigned from.
    public var unassigned: Int64

    public init(unassigned: Int64) { self.unassigned = unassigned }

    enum CodingKeys: Int, CodingKey { case unassigned = 1 }
}

public struct ListLabelsRequest: Codable, Sendable, Hashable {
    public var kind: Label.Kind

    public init(kind: Label.Kind) { self.kind = kind }

    enum CodingKeys: Int, CodingKey { case kind = 1 }
}

public struct LabelList: Codable, Sendable, Hashable {
    public var labels: [Label]

    public init(labels: [Label]) { self.labels = labels }

    enum CodingKeys: Int, CodingKey { case labels = 1 }
}

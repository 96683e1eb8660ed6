/// The two managed lists that group contacts across customers.
public enum LabelKind: String, Sendable, Hashable, CaseIterable {
    case keyword, role
}

/// A keyword or role with the number of contacts carrying it.
public struct StoredLabel: Sendable, Hashable {
    public var id: Int64
    public var kind: LabelKind
    /// Unique per kind, compared ignoring case in every script (`UniqueName.fold`), 1-100 characters.
    public var name: String
    public var contactCount: Int64

    public init(id: Int64, kind: LabelKind, name: String, contactCount: Int64) {
        self.id = id
        self.kind = kind
        self.name = name
        self.contactCount = contactCount
    }
}

import Foundation

/// A user as other records name it: id and name.
public struct UserRef: Sendable, Hashable {
    public var id: Int64
    public var name: String

    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}

/// A person who may use the service, identified by an OS user id (from the socket's peer credentials).
public struct User: Sendable, Hashable {
    public var id: Int64
    /// The OS user id (unique).
    public var uid: UInt32
    /// The display name (unique, case-insensitively; 1-64 characters, trimmed).
    public var name: String
    public var isAdministrator: Bool
    public var active: Bool
    public var createdAt: Date

    public init(id: Int64, uid: UInt32, name: String, isAdministrator: Bool, active: Bool, createdAt: Date) {
        self.id = id
        self.uid = uid
        self.name = name
        self.isAdministrator = isAdministrator
        self.active = active
        self.createdAt = createdAt
    }

    /// The reference other records use.
    public var ref: UserRef { UserRef(id: id, name: name) }
}

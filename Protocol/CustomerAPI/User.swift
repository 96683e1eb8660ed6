import Foundation

/// A named user, mapped from the OS uid the server reads off the socket.
public struct User: Codable, Sendable, Hashable {
    public var id: Int64
    public var uid: UInt32
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

    enum CodingKeys: Int, CodingKey {
        case id = 1, uid = 2, name = 3, isAdministrator = 4, active = 5, createdAt = 6
    }
}

public struct AddUserRequest: Codable, Sendable, Hashable {
    public var uid: UInt32
    public var name: String
    public var isAdministrator: Bool?

    public init(uid: UInt32, name: String, isAdministrator: Bool? = nil) {
        self.uid = uid
        self.name = name
        self.isAdministrator = isAdministrator
    }

    enum CodingKeys: Int, CodingKey { case uid = 1, name = 2, isAdministrator = 3 }
}

public struct ListUsersRequest: Codable, Sendable, Hashable {
    public init() {}
}

public struct ListUsersResponse: Codable, Sendable, Hashable {
    public var users: [User]

    public init(users: [User]) { self.users = users }

    enum CodingKeys: Int, CodingKey { case users = 1 }
}

public struct WhoAmIRequest: Codable, Sendable, Hashable {
    public init() {}
}

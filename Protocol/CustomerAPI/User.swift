import Foundation

/// A named user, mapped from the OS uid the server reads off the socket.
public struct User: Codable, Sendable, Hashable {
    public var id: Int64
    public var uid: UInt32
    public var name: String
    /// The profile grants the Administration right.
    public var isAdministrator: Bool
    public var active: Bool
    public var createdAt: Date
    /// The name of the user's permission profile.
    public var profile: String?
    /// May name the person it acts for in a call's metadata (`acting-for`); absent means no.
    public var trustedService: Bool?
    /// What the profile grants.
    public var rights: Rights?
    /// In WhoAmI only: the trusted service this call came through, acting for this user.
    public var actingService: UserRef?

    public init(
        id: Int64, uid: UInt32, name: String, isAdministrator: Bool, active: Bool, createdAt: Date,
        profile: String? = nil, trustedService: Bool? = nil, rights: Rights? = nil, actingService: UserRef? = nil
    ) {
        self.id = id
        self.uid = uid
        self.name = name
        self.isAdministrator = isAdministrator
        self.active = active
        self.createdAt = createdAt
        self.profile = profile
        self.trustedService = trustedService
        self.rights = rights
        self.actingService = actingService
    }

    enum CodingKeys: Int, CodingKey {
        case id = 1, uid = 2, name = 3, isAdministrator = 4, active = 5, createdAt = 6, profile = 7, trustedService = 8
        case rights = 9, actingService = 10
    }
}

public struct AddUserRequest: Codable, Sendable, Hashable {
    public var uid: UInt32
    public var name: String
    /// Without `profile`: true gives the built-in Administrator profile. True together with
    /// `profile` is INVALID_ARGUMENT (false with `profile` is the profile).
    public var isAdministrator: Bool?
    /// The permission profile by name. Default: Administrator when `isAdministrator`, else Read only.
    public var profile: String?

    public init(uid: UInt32, name: String, isAdministrator: Bool? = nil, profile: String? = nil) {
        self.uid = uid
        self.name = name
        self.isAdministrator = isAdministrator
        self.profile = profile
    }

    enum CodingKeys: Int, CodingKey { case uid = 1, name = 2, isAdministrator = 3, profile = 4 }
}

public struct SetUserProfileRequest: Codable, Sendable, Hashable {
    /// The user's name.
    public var user: String
    /// The profile's name.
    public var profile: String

    public init(user: String, profile: String) {
        self.user = user
        self.profile = profile
    }

    enum CodingKeys: Int, CodingKey { case user = 1, profile = 2 }
}

/// Names one user.
public struct UserNameRequest: Codable, Sendable, Hashable {
    public var user: String

    public init(user: String) { self.user = user }

    enum CodingKeys: Int, CodingKey { case user = 1 }
}

public struct SetTrustedServiceRequest: Codable, Sendable, Hashable {
    public var user: String
    /// True: the user may act for others; false takes that away.
    public var trusted: Bool

    public init(user: String, trusted: Bool) {
        self.user = user
        self.trusted = trusted
    }

    enum CodingKeys: Int, CodingKey { case user = 1, trusted = 2 }
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

import Foundation

/// A user as other records name it: id and name.
public struct StoredUserRef: Sendable, Hashable {
    public var id: Int64
    public var name: String

    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}

/// A permission profile as a user names it: id and name, and its version as read with the user.
public struct ProfileRef: Sendable, Hashable {
    public var id: Int64
    public var name: String
    /// The profile's version when the user was read: a call's writes carry it (``Author/Admission``),
    /// so the writer can tell that the profile's rights changed after the call was admitted.
    public var version: Int64

    public init(id: Int64, name: String, version: Int64) {
        self.id = id
        self.name = name
        self.version = version
    }
}

/// A person who may use the service, identified by an OS user id (from the socket's peer credentials).
public struct StoredUser: Sendable, Hashable {
    public var id: Int64
    /// The OS user id (unique).
    public var uid: UInt32
    /// The display name (unique ignoring case in every script, `UniqueName.fold`; 1-64 characters, trimmed).
    public var name: String
    public var active: Bool
    public var createdAt: Date
    /// The user's permission profile.
    public var profile: ProfileRef
    /// What the profile grants, read together with the user.
    public var rights: PermissionRights
    /// May name, in a call's metadata, the person it acts for (a web front end, another service).
    public var trustedService: Bool

    public init(id: Int64, uid: UInt32, name: String, active: Bool, createdAt: Date, profile: ProfileRef,
                rights: PermissionRights, trustedService: Bool) {
        self.id = id
        self.uid = uid
        self.name = name
        self.active = active
        self.createdAt = createdAt
        self.profile = profile
        self.rights = rights
        self.trustedService = trustedService
    }

    /// Holds the Administration right (through its profile).
    public var isAdministrator: Bool { rights.administration }

    /// The reference other records use.
    public var ref: StoredUserRef { StoredUserRef(id: id, name: name) }
}

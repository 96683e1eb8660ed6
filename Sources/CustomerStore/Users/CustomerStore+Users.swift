import Foundation
import SQLiteEngine

extension CustomerStore {
    /// A user with its profile's rights: one indexed join, so resolving a caller is one read.
    static let userColumns = """
        SELECT u.id, u.uid, u.name, u.active, u.created_at, u.trusted_service, p.id AS profile_id, p.name AS profile_name,
               p.version AS profile_version, \(rightsColumns)
        FROM users u JOIN permission_profiles p ON p.id = u.profile_id
        """
    static let maxUserName = 64

    /// The user with this OS uid, or `nil` when the uid is not registered.
    public func user(uid: UInt32) throws -> StoredUser? {
        try readOne { try Self.fetchUser($0, "\(Self.userColumns) WHERE u.uid = ?", .integer(Int64(uid))) }
    }

    /// The user with this id, or `nil`.
    public func user(id: Int64) throws -> StoredUser? {
        try readOne { try Self.fetchUser($0, "\(Self.userColumns) WHERE u.id = ?", .integer(id)) }
    }

    /// The user with this name (trimmed, compared by `UniqueName.fold`), or `nil`.
    public func user(name: String) throws -> StoredUser? {
        let byName = Self.userByName(name)
        return try readOne { try Self.fetchUser($0, byName.sql, byName.key) }
    }

    /// The SELECT of the user named `name` and the key it binds: trimmed, compared by `UniqueName.fold`.
    static func userByName(_ name: String) -> (sql: String, key: SQLValue) {
        ("\(userColumns) WHERE u.name_fold = ?", UniqueName.lookupKey(name))
    }

    /// Every user, ordered by name.
    public func listUsers() throws -> [StoredUser] {
        try read { connection in
            try connection.withStatement("\(Self.userColumns) ORDER BY u.name, u.id") { statement in
                var users: [StoredUser] = []
                while try statement.step() { users.append(try Self.decodeUser(statement)) }
                return users
            }
        }
    }

    /// Registers a user with the built-in Administrator profile, or else the default profile
    /// (`BuiltInProfile.defaultForNewUsers`).
    ///
    /// - Throws: `invalidArgument` on field `name` (blank or over 64 characters) and on field `uid`
    ///   (4294967295 and 65534, see ``validUID(_:)`` and ``validNewUserUID(_:)``); `alreadyExists` with field
    ///   `uid` or `name` when either is taken.
    @discardableResult
    public func addUser(uid: UInt32, name: String, isAdministrator: Bool = false) throws -> StoredUser {
        try Self.validNewUserUID(uid)
        let name = try Self.validUserName(name)
        let profile = isAdministrator ? BuiltInProfile.administrator : .defaultForNewUsers
        return try write { connection in
            try insertUser(connection, uid: uid, name: name, profileID: try Self.profileID(connection, builtIn: profile))
        }
    }

    /// Registers a user with the named permission profile.
    ///
    /// - Throws: as `addUser(uid:name:isAdministrator:)`, and `invalidArgument` on field `profile`
    ///   when no profile has that name.
    @discardableResult
    public func addUser(uid: UInt32, name: String, profileName: String) throws -> StoredUser {
        try Self.validNewUserUID(uid)
        let name = try Self.validUserName(name)
        return try write { connection in
            try insertUser(connection, uid: uid, name: name, profileID: try Self.profileID(connection, named: profileName))
        }
    }

    /// On first start (no users yet) registers the given administrators, typically the OS user
    /// running the server and root. Does nothing once any user exists, so it is safe on every start.
    /// A uid listed twice (the server running as root) is registered once.
    ///
    /// - Returns: the users it created (empty when the store was already bootstrapped).
    @discardableResult
    public func bootstrap(administrators: [(uid: UInt32, name: String)]) throws -> [StoredUser] {
        let validated = try administrators.map { administrator in
            try Self.validUID(administrator.uid)
            return (uid: administrator.uid, name: try Self.validUserName(administrator.name))
        }
        return try write { connection in
            let count = try connection.withStatement("SELECT count(*) FROM users") { statement in
                try statement.step() ? statement.int64(0) : 0
            }
            guard count == 0 else { return [] }
            var created: [StoredUser] = []
            let profileID = try Self.profileID(connection, builtIn: .administrator)
            for administrator in validated where !created.contains(where: { $0.uid == administrator.uid }) {
                created.append(try insertUser(connection, uid: administrator.uid, name: administrator.name,
                                              profileID: profileID))
            }
            return created
        }
    }

    /// Inserts a user with its profile; `is_administrator` is written for the record only (the
    /// profile decides, see `Migrations.permissionProfiles`).
    private func insertUser(_ connection: SQLiteConnection, uid: UInt32, name: String, profileID: Int64) throws -> StoredUser {
        try UniqueName.users.requireFree(connection, name: name)
        try connection.run("""
            INSERT INTO users (uid, name, name_fold, is_administrator, active, created_at, profile_id)
            VALUES (?, ?, ?, (SELECT administration FROM permission_profiles WHERE id = ?), 1, ?, ?)
            """, [.integer(Int64(uid)), .text(name), .text(UniqueName.fold(name)), .integer(profileID),
                  .integer(nowMilliseconds()), .integer(profileID)])
        return try Self.requireUser(connection, "\(Self.userColumns) WHERE u.id = ?", .integer(connection.lastInsertRowID))
    }

    /// Refuses the one uid no process can have: 4294967295 is `(uid_t) -1`, which `setuid` and
    /// `chown` take to mean "unchanged" (POSIX), so no socket peer ever carries it and a user
    /// registered with it could never connect (nor be replaced under its uid).
    /// - Throws: `invalidArgument` on field `uid`.
    static func validUID(_ uid: UInt32) throws {
        if uid == UInt32.max {
            throw StoreError.invalidArgument([FieldViolation(
                field: "uid",
                reason: "must not be 4294967295, which is (uid_t) -1: no process runs as it, so its user could never connect")])
        }
    }

    /// Linux's overflow uid (`/proc/sys/kernel/overflowuid`, 65534 unless changed), also `nobody`'s.
    static let overflowUID: UInt32 = 65534

    /// ``validUID(_:)``, and refuses the overflow uid for a user added by an administrator: a peer
    /// whose uid has no mapping in the server's user namespace (a process in a container or a
    /// sandbox the socket is shared with) is reported by `SO_PEERCRED` as that uid, so a user
    /// registered with it would be every such process, and every daemon running as `nobody`.
    /// The first start's administrators are not refused it: that is the uid the server runs as.
    /// - Throws: `invalidArgument` on field `uid`.
    static func validNewUserUID(_ uid: UInt32) throws {
        try validUID(uid)
        if uid == overflowUID {
            throw StoreError.invalidArgument([FieldViolation(
                field: "uid",
                reason: "must not be 65534, the kernel's overflow uid (nobody): every process whose uid is not mapped "
                    + "into the server's user namespace (in a container or a sandbox) connects as it")])
        }
    }

    /// A user name trimmed, 1-64 characters.
    static func validUserName(_ raw: String) throws -> String {
        try validName(raw, maxLength: maxUserName, field: "name")
    }

    /// A name (of a user, profile, keyword, role, industry or segment): trimmed, 1 to `maxLength`
    /// characters on one line (`TextInput`).
    /// - Throws: `invalidArgument` on `field`.
    static func validName(_ raw: String, maxLength: Int, field: String) throws -> String {
        let (name, violation) = TextInput.required(raw, field: field, maxLength: maxLength)
        if let violation { throw StoreError.invalidArgument([violation]) }
        return name
    }

    /// Whether a user id exists; used to validate references before writing them.
    /// One primary-key probe, not the user with its profile: every create and update asks it.
    static func userExists(_ connection: SQLiteConnection, id: Int64) throws -> Bool {
        try userName(connection, id: id) != nil
    }

    /// A user's name by id (one primary-key probe), or `nil` when no user has it.
    static func userName(_ connection: SQLiteConnection, id: Int64) throws -> String? {
        try connection.withStatement("SELECT name FROM users WHERE id = ?") { statement in
            try statement.bind(id, at: 1)
            return try statement.step() ? statement.text(0) : nil
        }
    }

    /// The user `sql` selects by `key`. - Throws: `notFound`.
    static func requireUser(_ connection: SQLiteConnection, _ sql: String, _ key: SQLValue) throws -> StoredUser {
        guard let user = try fetchUser(connection, sql, key) else {
            throw StoreError.notFound("no user has that name or id", field: "user")
        }
        return user
    }

    static func fetchUser(_ connection: SQLiteConnection, _ sql: String, _ key: SQLValue) throws -> StoredUser? {
        try connection.withStatement(sql) { statement in
            try statement.bind(key, at: 1)
            return try statement.step() ? try decodeUser(statement) : nil
        }
    }

    private static func decodeUser(_ statement: SQLiteStatement) throws -> StoredUser {
        let id = try statement.int64("id"), uid = UInt32(truncatingIfNeeded: try statement.int64("uid"))
        let name = try statement.text("name"), active = try statement.bool("active")
        let createdAt = Date(milliseconds: try statement.int64("created_at"))
        let trustedService = try statement.bool("trusted_service")
        return StoredUser(id: id, uid: uid, name: name, active: active, createdAt: createdAt,
                    profile: ProfileRef(id: try statement.int64("profile_id"), name: try statement.text("profile_name"),
                                        version: try statement.int64("profile_version")),
                    rights: try decodeRights(statement), trustedService: trustedService)
    }
}

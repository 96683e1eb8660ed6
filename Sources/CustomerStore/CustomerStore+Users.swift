import Foundation

extension CustomerStore {
    static let userColumns = "SELECT id, uid, name, is_administrator, active, created_at FROM users"
    static let maxUserName = 64

    /// The user with this OS uid, or `nil` when the uid is not registered.
    public func user(uid: UInt32) throws -> User? {
        try readOne { try Self.fetchUser($0, "\(Self.userColumns) WHERE uid = ?", .integer(Int64(uid))) }
    }

    /// The user with this id, or `nil`.
    public func user(id: Int64) throws -> User? {
        try readOne { try Self.fetchUser($0, "\(Self.userColumns) WHERE id = ?", .integer(id)) }
    }

    /// The user with this name (compared case-insensitively, after trimming), or `nil`.
    public func user(name: String) throws -> User? {
        let trimmed = name.trimmingWhitespace()
        return try readOne { try Self.fetchUser($0, "\(Self.userColumns) WHERE name = ?", .text(trimmed)) }
    }

    /// Every user, ordered by name.
    public func listUsers() throws -> [User] {
        try read { connection in
            try connection.withStatement("\(Self.userColumns) ORDER BY name, id") { statement in
                var users: [User] = []
                while try statement.step() { users.append(Self.decodeUser(statement)) }
                return users
            }
        }
    }

    /// Registers a user.
    ///
    /// - Throws: `invalidArgument` on field `name` (blank or over 64 characters);
    ///   `alreadyExists` with field `uid` or `name` when either is taken.
    @discardableResult
    public func addUser(uid: UInt32, name: String, isAdministrator: Bool = false) throws -> User {
        let name = try Self.validUserName(name)
        return try write { connection in try insertUser(connection, uid: uid, name: name, isAdministrator: isAdministrator) }
    }

    /// On first start (no users yet) registers the given administrators, typically the OS user
    /// running the server and root. Does nothing once any user exists, so it is safe on every start.
    /// A uid listed twice (the server running as root) is registered once.
    ///
    /// - Returns: the users it created (empty when the store was already bootstrapped).
    @discardableResult
    public func bootstrap(administrators: [(uid: UInt32, name: String)]) throws -> [User] {
        let validated = try administrators.map { (uid: $0.uid, name: try Self.validUserName($0.name)) }
        return try write { connection in
            let count = try connection.withStatement("SELECT count(*) FROM users") { statement in
                try statement.step() ? statement.int64(0) : 0
            }
            guard count == 0 else { return [] }
            var created: [User] = []
            for administrator in validated where !created.contains(where: { $0.uid == administrator.uid }) {
                created.append(try insertUser(connection, uid: administrator.uid, name: administrator.name,
                                              isAdministrator: true))
            }
            return created
        }
    }

    private func insertUser(_ connection: SQLiteConnection, uid: UInt32, name: String, isAdministrator: Bool) throws -> User {
        let createdAt = nowMilliseconds()
        try connection.run("INSERT INTO users (uid, name, is_administrator, active, created_at) VALUES (?, ?, ?, 1, ?)",
                           [.integer(Int64(uid)), .text(name), .integer(isAdministrator ? 1 : 0), .integer(createdAt)])
        return User(id: connection.lastInsertRowID, uid: uid, name: name, isAdministrator: isAdministrator, active: true,
                    createdAt: Date(milliseconds: createdAt))
    }

    /// A user name trimmed, 1-64 characters.
    static func validUserName(_ raw: String) throws -> String {
        try validName(raw, maxLength: maxUserName, field: "name")
    }

    /// A name (of a user, keyword or role) trimmed, 1 to `maxLength` characters.
    /// - Throws: `invalidArgument` on `field`.
    static func validName(_ raw: String, maxLength: Int, field: String) throws -> String {
        let name = raw.trimmingWhitespace()
        guard !name.isEmpty, name.count <= maxLength else {
            throw StoreError.invalid(field, "must be 1 to \(maxLength) characters after trimming")
        }
        return name
    }

    /// Whether a user id exists; used to validate references before writing them.
    static func userExists(_ connection: SQLiteConnection, id: Int64) throws -> Bool {
        try fetchUser(connection, "\(userColumns) WHERE id = ?", .integer(id)) != nil
    }

    private static func fetchUser(_ connection: SQLiteConnection, _ sql: String, _ key: SQLValue) throws -> User? {
        try connection.withStatement(sql) { statement in
            try statement.bind(key, at: 1)
            return try statement.step() ? decodeUser(statement) : nil
        }
    }

    private static func decodeUser(_ statement: SQLiteStatement) -> User {
        User(id: statement.int64(0), uid: UInt32(truncatingIfNeeded: statement.int64(1)), name: statement.text(2),
             isAdministrator: statement.int64(3) != 0, active: statement.int64(4) != 0,
             createdAt: Date(milliseconds: statement.int64(5)))
    }
}

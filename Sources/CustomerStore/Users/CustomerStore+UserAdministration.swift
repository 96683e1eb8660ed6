import SQLiteEngine

/// Changing users after they were added: profile, active flag, trusted-service flag.
///
/// Each change is one transaction that is refused (and rolled back) when it would leave no active
/// user with the Administration right, so an administrator cannot lock everyone out.
extension CustomerStore {
    /// Gives the user (by name) the named profile.
    /// - Throws: `notFound` (user); `invalidArgument` on `profile`; `failedPrecondition` (last administrator).
    public func setUserProfile(userName: String, profileName: String) throws -> StoredUser {
        try changeUser(named: userName) { connection, user in
            try connection.run("UPDATE users SET profile_id = ? WHERE id = ?",
                               [.integer(try Self.profileID(connection, named: profileName)), .integer(user)])
        }
    }

    /// Deactivates (refused at the socket from then on) or reactivates a user.
    /// - Throws: `notFound`; `failedPrecondition` (last administrator).
    public func setUserActive(userName: String, _ active: Bool) throws -> StoredUser {
        try changeUser(named: userName) { connection, user in
            try connection.run("UPDATE users SET active = ? WHERE id = ?", [.integer(active ? 1 : 0), .integer(user)])
        }
    }

    /// Marks a user as a trusted service (it may name the person it acts for) or takes that away.
    /// - Throws: `notFound`.
    public func setTrustedService(userName: String, _ trusted: Bool) throws -> StoredUser {
        try changeUser(named: userName) { connection, user in
            try connection.run("UPDATE users SET trusted_service = ? WHERE id = ?",
                               [.integer(trusted ? 1 : 0), .integer(user)])
        }
    }

    /// Runs `change` on the user's id, checks that an administrator remains, and returns the user as it is now.
    private func changeUser(named name: String, _ change: (SQLiteConnection, Int64) throws -> Void) throws -> StoredUser {
        let byName = Self.userByName(name)
        return try write { connection in
            let user = try Self.requireUser(connection, byName.sql, byName.key)
            try change(connection, user.id)
            try Self.requireAnAdministrator(connection, field: "user")
            return try Self.requireUser(connection, "\(Self.userColumns) WHERE u.id = ?", .integer(user.id))
        }
    }
}

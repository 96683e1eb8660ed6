import Foundation
import SQLiteEngine

/// Permission profiles: created, changed, listed. Assigning them to users is in
/// `CustomerStore+UserAdministration.swift`.
extension CustomerStore {
    static let maxProfileName = 64
    /// The rights columns of `permission_profiles` (aliased `p`), in `decodeRights` order.
    static let rightsColumns = """
        p.read_customers, p.edit_customers, p.financial_figures, p.delete_customers, p.manage_contacts, p.administration
        """
    static let profileColumns = """
        SELECT p.id, p.name, p.built_in, p.version, p.created_at, p.updated_at, \(rightsColumns)
        FROM permission_profiles p
        """

    /// Every profile, ordered by name.
    public func profiles() throws -> [StoredPermissionProfile] {
        try read { connection in
            try connection.withStatement("\(Self.profileColumns) ORDER BY p.name, p.id") { statement in
                var profiles: [StoredPermissionProfile] = []
                while try statement.step() { profiles.append(try Self.decodeProfile(statement)) }
                return profiles
            }
        }
    }

    /// The profile with this name (trimmed, compared by `UniqueName.fold`). - Throws: `notFound`.
    public func profile(named name: String) throws -> StoredPermissionProfile {
        try readOne { try Self.requireProfile($0, named: name) }
    }

    /// Creates a profile (version 1).
    ///
    /// - Throws: `invalidArgument` on `name` or on rights that contradict each other (editing
    ///   further than reading, deleting without editing); `alreadyExists` on `name`.
    public func createProfile(name: String, rights: PermissionRights) throws -> StoredPermissionProfile {
        let name = try Self.validName(name, maxLength: Self.maxProfileName, field: "name")
        try Self.check(rights)
        return try write { connection in
            let now = nowMilliseconds()
            try UniqueName.profiles.requireFree(connection, name: name)
            try connection.run("""
                INSERT INTO permission_profiles (name, read_customers, edit_customers, financial_figures,
                    delete_customers, manage_contacts, administration, created_at, updated_at, name_fold)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(name)] + Self.values(of: rights) + [.integer(now), .integer(now), .text(UniqueName.fold(name))])
            return try Self.requireProfile(connection, id: connection.lastInsertRowID)
        }
    }

    /// Changes the given fields of a profile (built-in ones too); version +1. Takes effect for
    /// every user of the profile at once. One whose every given field is as stored is returned as
    /// it is, nothing written.
    ///
    /// - Throws: `notFound`; `aborted` on a stale `expectedVersion`; `invalidArgument` as
    ///   `createProfile`; `alreadyExists` on `name`; `failedPrecondition` when the change would
    ///   leave no active user with the Administration right.
    public func updateProfile(named name: String, _ changes: ProfileChanges, expectedVersion: Int64?) throws
        -> StoredPermissionProfile {
        let newName = try changes.name.map { try Self.validName($0, maxLength: Self.maxProfileName, field: "name") }
        return try write { connection in
            let current = try Self.requireProfile(connection, named: name)
            try Self.checkVersion(expectedVersion, current: current.version, of: "profile \(current.id)")
            let rights = changes.applied(to: current.rights)
            try Self.check(rights)
            let name = newName ?? current.name
            try UniqueName.profiles.requireFree(connection, name: name, except: current.id)
            // Every given field as stored: the profile as it is, no version (as a customer's update).
            if HistoryLog.isUnchanged(from: [.text(current.name)] + Self.values(of: current.rights),
                                      to: [.text(name)] + Self.values(of: rights)) { return current }
            try connection.run("""
                UPDATE permission_profiles SET name = ?, read_customers = ?, edit_customers = ?, financial_figures = ?,
                    delete_customers = ?, manage_contacts = ?, administration = ?, version = version + 1,
                    updated_at = max(?, updated_at + 1), name_fold = ?
                WHERE id = ?
                """, [.text(name)] + Self.values(of: rights)
                    + [.integer(nowMilliseconds()), .text(UniqueName.fold(name)), .integer(current.id)])
            try Self.requireAnAdministrator(connection, field: "rights.administration")
            return try Self.requireProfile(connection, id: current.id)
        }
    }

    // MARK: Shared with the user administration

    /// The id of a built-in profile (it exists from the migration on and is never removed).
    static func profileID(_ connection: SQLiteConnection, builtIn: BuiltInProfile) throws -> Int64 {
        try requireProfile(connection, "\(profileColumns) WHERE p.built_in = ?", .text(builtIn.rawValue)).id
    }

    /// The id of the profile a request names. - Throws: `invalidArgument` on field `profile`.
    static func profileID(_ connection: SQLiteConnection, named name: String) throws -> Int64 {
        guard let profile = try fetchProfile(connection, "\(profileColumns) WHERE p.name_fold = ?",
                                             UniqueName.lookupKey(name)) else {
            throw StoreError.invalid("profile", "no permission profile has that name")
        }
        return profile.id
    }

    /// Refuses (and so rolls back) a change that leaves nobody able to administer the service;
    /// `field` is the request field whose change it was.
    static func requireAnAdministrator(_ connection: SQLiteConnection, field: String) throws {
        let exists = try connection.withStatement("""
            SELECT EXISTS (SELECT 1 FROM users u JOIN permission_profiles p ON p.id = u.profile_id
                           WHERE u.active = 1 AND p.administration = 1)
            """) { statement in try statement.step() && statement.int64(0) != 0 }
        guard exists else {
            throw StoreError.failedPrecondition(
                "the change would leave no active user with the Administration right; give it to someone else first",
                field: field)
        }
    }

    /// Rights read from six columns starting at `column` (the order of `rightsColumns`).
    static func decodeRights(_ statement: SQLiteStatement) throws -> PermissionRights {
        PermissionRights(
            readCustomers: StoredCustomerScope(rawValue: try statement.text("read_customers")) ?? .none,
            editCustomers: StoredCustomerScope(rawValue: try statement.text("edit_customers")) ?? .none,
            financialFigures: try statement.bool("financial_figures"), deleteCustomers: try statement.bool("delete_customers"),
            manageContacts: try statement.bool("manage_contacts"), administration: try statement.bool("administration"))
    }

    // MARK: Private

    private static func check(_ rights: PermissionRights) throws {
        let violations = rights.violations()
        if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
    }

    private static func values(of rights: PermissionRights) -> [SQLValue] {
        [.text(rights.readCustomers.rawValue), .text(rights.editCustomers.rawValue),
         .integer(rights.financialFigures ? 1 : 0), .integer(rights.deleteCustomers ? 1 : 0),
         .integer(rights.manageContacts ? 1 : 0), .integer(rights.administration ? 1 : 0)]
    }

    private static func requireProfile(_ connection: SQLiteConnection, named name: String) throws -> StoredPermissionProfile {
        try requireProfile(connection, "\(profileColumns) WHERE p.name_fold = ?",
                           UniqueName.lookupKey(name))
    }

    private static func requireProfile(_ connection: SQLiteConnection, id: Int64) throws -> StoredPermissionProfile {
        try requireProfile(connection, "\(profileColumns) WHERE p.id = ?", .integer(id))
    }

    private static func requireProfile(_ connection: SQLiteConnection, _ sql: String, _ key: SQLValue) throws
        -> StoredPermissionProfile {
        guard let profile = try fetchProfile(connection, sql, key) else {
            throw StoreError.notFound("no permission profile has that name", field: "name")
        }
        return profile
    }

    private static func fetchProfile(_ connection: SQLiteConnection, _ sql: String, _ key: SQLValue) throws
        -> StoredPermissionProfile? {
        try connection.withStatement(sql) { statement in
            try statement.bind(key, at: 1)
            return try statement.step() ? try decodeProfile(statement) : nil
        }
    }

    private static func decodeProfile(_ statement: SQLiteStatement) throws -> StoredPermissionProfile {
        let id = try statement.int64("id"), name = try statement.text("name")
        let builtIn = try statement.optionalText("built_in").flatMap(BuiltInProfile.init(rawValue:))
        let version = try statement.int64("version"), createdAt = try statement.int64("created_at")
        let updatedAt = try statement.int64("updated_at")
        return StoredPermissionProfile(
            id: id, name: name, rights: try decodeRights(statement), builtIn: builtIn, version: version,
            createdAt: Date(milliseconds: createdAt), updatedAt: Date(milliseconds: updatedAt))
    }
}

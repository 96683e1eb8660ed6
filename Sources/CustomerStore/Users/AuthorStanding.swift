import SQLiteEngine

/// What the writer reads of a user, in a write's transaction, to hold the write to its call's
/// admission (`Author.Admission`): identity and rights are checked when a call starts, but the
/// write runs after its wait for the writer, and a `DeactivateUser`, `SetUserProfile` or
/// `UpdateProfile` may have committed in between. A trusted service the call came through
/// (`Author.viaUserID`) is read the same way: a `DeactivateUser` or `SetTrustedService` of the
/// service committed meanwhile refuses the write too.
struct AuthorStanding {
    let name: String
    let active: Bool
    /// nil for a user left without a profile (the caller's join would not find them either).
    let profileID: Int64?
    let profileVersion: Int64?
    /// May still act for others (users.trusted_service).
    let trustedService: Bool

    /// Two primary-key probes (the user, its profile); nil when no user has the id.
    static func read(_ connection: SQLiteConnection, userID: Int64) throws -> AuthorStanding? {
        try connection.withStatement("""
            SELECT u.name, u.active, u.profile_id, p.version, u.trusted_service
            FROM users u LEFT JOIN permission_profiles p ON p.id = u.profile_id WHERE u.id = ?
            """) { statement in
            try statement.bind(userID, at: 1)
            guard try statement.step() else { return nil }
            return AuthorStanding(name: statement.text(0), active: statement.int64(1) != 0,
                                  profileID: statement.optionalInt64(2), profileVersion: statement.optionalInt64(3),
                                  trustedService: statement.int64(4) != 0)
        }
    }

    /// Refuses a write by `author` that this standing no longer allows: a deactivated user
    /// (`authorDeactivated`), or one whose profile, or that profile's rights, changed since the
    /// call was admitted (`authorRightsChanged`; a retry is checked anew when it starts).
    func admit(_ author: Author) throws {
        guard active else { throw StoreError.authorDeactivated(author.userID) }
        if let admission = author.admission,
           admission.profileID != profileID || admission.profileVersion != profileVersion {
            throw StoreError.authorRightsChanged(author.userID)
        }
    }

    /// Refuses a write made through `service` (`Author.viaUserID`), the user this standing is of,
    /// once that service may no longer act for anyone: deactivated (`authorDeactivated`, naming
    /// the service), or its trust withdrawn (`authorRightsChanged`: a retry is checked anew when it
    /// starts, where an untrusted service naming someone is refused). The service's own profile is
    /// not compared: a call through it is checked against the person's rights alone.
    func admitService(_ service: Int64) throws {
        guard active else { throw StoreError.authorDeactivated(service) }
        guard trustedService else { throw StoreError.authorRightsChanged(service) }
    }
}

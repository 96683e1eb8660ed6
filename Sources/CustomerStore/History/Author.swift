/// Who makes a write, as the store records it: the person (created/updated by, the history's
/// `by`), the trusted service the call came through when it acts for that person (the history's
/// `via`, issue 6), and where the values came from when the person did not type them (the
/// history's `source`, e.g. a registry refresh).
///
/// A value passed into every write, down to `HistoryLog.append`, never something ambient: under
/// group commit a write's body runs on whichever caller's thread leads the group, so a task-local
/// or thread-local binding would be the leader's, not the write's own (issue 12).
public struct Author: Sendable, Hashable {
    /// The person: users.id.
    public var userID: Int64
    /// The trusted service acting for `userID` (users.id); nil when the person called itself.
    public var viaUserID: Int64?
    /// Where the change came from when the caller did not type it; nil for the caller's own edit.
    public var source: String?
    /// The profile the call was admitted with: the writer refuses the write when the person's
    /// profile (or that profile's rights) is no longer this one. nil: no admission to hold the
    /// write to (the store's own tests); the person must still exist and be active.
    public var admission: Admission?

    /// What a call's checks at its start were made against, as the writer compares it in the
    /// write's transaction (`CustomerStore.actingUserName`): a write waits for the writer, and a
    /// `SetUserProfile` or `UpdateProfile` may commit meanwhile.
    public struct Admission: Sendable, Hashable {
        /// permission_profiles.id of the person when the call started.
        public var profileID: Int64
        /// That profile's version then (every change of its rights adds one).
        public var profileVersion: Int64

        public init(profileID: Int64, profileVersion: Int64) {
            self.profileID = profileID
            self.profileVersion = profileVersion
        }
    }

    public init(userID: Int64, via viaUserID: Int64? = nil, source: String? = nil, admission: Admission? = nil) {
        self.userID = userID
        self.viaUserID = viaUserID
        self.source = source
        self.admission = admission
    }

    /// `user`, as a call's identity check just read them, making the call's writes (through the
    /// service `viaUserID` when one acts for them): the writer holds the writes to `user`'s profile.
    public init(admitted user: StoredUser, via viaUserID: Int64? = nil) {
        self.init(userID: user.id, via: viaUserID,
                  admission: Admission(profileID: user.profile.id, profileVersion: user.profile.version))
    }

    /// A person writing for themselves.
    public static func user(_ id: Int64) -> Author {
        Author(userID: id)
    }

    /// The same author, recording `source` as where the values came from.
    func from(_ source: String) -> Author {
        Author(userID: userID, via: viaUserID, source: source, admission: admission)
    }
}

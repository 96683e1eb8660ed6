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

    public init(userID: Int64, via viaUserID: Int64? = nil, source: String? = nil) {
        self.userID = userID
        self.viaUserID = viaUserID
        self.source = source
    }

    /// A person writing for themselves.
    public static func user(_ id: Int64) -> Author {
        Author(userID: id)
    }

    /// The same author, recording `source` as where the values came from.
    func from(_ source: String) -> Author {
        Author(userID: userID, via: viaUserID, source: source)
    }
}

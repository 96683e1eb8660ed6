import SQLiteEngine

/// The user names a reader connection has looked up, kept from one read to the next while the
/// database does not change: a get names one user (its creator, updater, account manager …), and
/// looking that user up again on every call was ~7 800 of a get's ~72 000 instructions (callgrind,
/// docs/performance/HISTORY.md) for a name that changes far more rarely than it is read.
///
/// Tagged with the data version of the snapshot they were read in (``SQLiteConnection/dataVersion()``):
/// a read whose snapshot has another version starts afresh, so a commit anywhere (a new user, a
/// row changed behind the store's back by another process) is seen by the next read, and a name is
/// never shown from a snapshot other than the read's own. Kept on reader connections only: the
/// writer's uncommitted changes do not move the version, so a write reading its own changes gets
/// a cache of its own per read, as every read had before.
final class KeptNames {
    /// The most names kept; a connection serves reads of few users, and a read naming more starts afresh.
    static let capacity = 256

    // `@exclusivity(unchecked)`: kept with one connection, used by the one thread that holds it, in
    // accesses that never overlap (`of` and `keep` call nothing that touches them); the runtime's
    // check of each cost a get ~80 instructions, twice (docs/performance/HISTORY.md "get28").
    @exclusivity(unchecked) private(set) var users: [Int64: String] = [:]
    @exclusivity(unchecked) private var version: UInt32

    private init(version: UInt32) {
        self.version = version
    }

    /// The names kept with `connection` valid for the read it is in; call it inside the read's
    /// snapshot (while a row's statement is active), as ``UserNames`` does.
    static func of(_ connection: SQLiteConnection) -> KeptNames {
        guard connection.role == .reader, let version = connection.dataVersion() else { return KeptNames(version: 0) }
        guard let kept = connection.keptAcrossReads as? KeptNames else {
            let kept = KeptNames(version: version)
            connection.keptAcrossReads = kept
            return kept
        }
        if kept.version != version {
            kept.version = version
            kept.users.removeAll(keepingCapacity: true)
        }
        return kept
    }

    /// Keeps `name` as the name of user `id` in this version.
    func keep(user id: Int64, name: String) {
        if users.count >= Self.capacity { users.removeAll(keepingCapacity: true) }
        users[id] = name
    }
}

import Synchronization

/// What the ordered streams' id files (``StreamIDs``) of one OS user may hold at once, in bytes,
/// how many of them all users may hold open at once, and the free space they leave on the
/// database's file system; one per store, shared by its views.
///
/// Why: a stream of more ids than it keeps in memory writes them to an unnamed file beside the
/// database, which holds a descriptor and disk while the stream runs. Unbounded, one user's 256
/// streams (the per-user stream limit) of 1 000 000 customers took 2 GiB of disk, and 256 paused
/// ones took 256 descriptors: under a limit of 400 another user's connections were then not
/// accepted (EMFILE) until they ended (floods23, docs/HARDENING.md).
///
/// A file is counted in steps of ``step`` bytes, its first one taken before it is made: the budget
/// bounds a user's descriptors too (`perUser / step` files). The owner is the OS user the stream's
/// caller gave the store (the call's peer); a stream with none (the server's own, tests) counts as
/// one owner of its own.
///
/// The per-user bound alone left the server's descriptors to several users together: 4 users' 64
/// files each are 256, the whole share customerd keeps beside its connections under its default
/// limit. ``maxFiles`` bounds the files of all users (customerd derives it from its descriptor
/// limit), so what stays is the database's and the imports', uploads' and backups' (fds24).
final class StreamIDBudget: Sendable {
    /// 1 MiB: 131 072 ids, the first step of a file holding 4 097 or more.
    static let step: Int64 = 1 << 20
    /// 64 MiB: 64 files (descriptors) per user; one export of 1 000 000 customers takes 8 MiB.
    static let defaultPerUser: Int64 = 64 << 20
    /// 128 files of all users: half the most customerd keeps for everything not a connection.
    static let defaultMaxFiles = 128

    let perUser: Int64
    /// Id files (descriptors) all users' streams may hold open at once.
    let maxFiles: Int
    /// Free bytes the files never take from the database's file system (0: no check).
    let freeSpaceReserve: Int64
    private let held = Mutex<[UInt32?: Int64]>([:])
    private let files = Mutex(0)

    init(perUser: Int64, maxFiles: Int, freeSpaceReserve: Int64) {
        self.perUser = perUser
        self.maxFiles = maxFiles
        self.freeSpaceReserve = freeSpaceReserve
    }

    /// Takes one of ``maxFiles`` for a file about to be made; false (nothing taken) if all are held.
    func takeFile() -> Bool {
        files.withLock { open in
            guard open < maxFiles else { return false }
            open += 1
            return true
        }
    }

    /// Gives back a file ``takeFile()`` took (its stream ended, however it ended).
    func giveBackFile() {
        files.withLock { $0 = max($0 - 1, 0) }
    }

    /// Id files all streams hold open now, for tests and statistics.
    var filesOpen: Int { files.withLock { $0 } }

    /// Takes `bytes` for `owner` unless that would pass ``perUser``; false (nothing taken) if so.
    func take(_ bytes: Int64, for owner: UInt32?) -> Bool {
        held.withLock { held in
            let now = held[owner, default: 0]
            guard now + bytes <= perUser else { return false }
            held[owner] = now + bytes
            return true
        }
    }

    /// Gives back `bytes` `owner` took (its stream ended, however it ended).
    func giveBack(_ bytes: Int64, for owner: UInt32?) {
        held.withLock { held in
            let left = held[owner, default: 0] - bytes
            held[owner] = left > 0 ? left : nil
        }
    }

    /// Bytes `owner`'s id files hold counted, for tests and statistics.
    func inUse(by owner: UInt32?) -> Int64 {
        held.withLock { $0[owner, default: 0] }
    }
}

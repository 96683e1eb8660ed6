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
///
/// That pool alone was first come, first served: one user's 64 paused streams took half of 128
/// files, and under a limit of 400 (50 files) all of them, refusing every other user's large
/// export, the administrator's included. So the last quarter of it (``reserve``: 32 of 128, 12 of
/// 50) is kept for users holding fewer than ``reserveUserLimit`` files, as the last connections
/// are (`ServerConfiguration.connectionReserve`): one or two users at their own limit leave the
/// others a few files each (share25).
final class StreamIDBudget: Sendable {
    /// 1 MiB: 131 072 ids, the first step of a file holding 4 097 or more.
    static let step: Int64 = 1 << 20
    /// 64 MiB: 64 files (descriptors) per user; one export of 1 000 000 customers takes 8 MiB.
    static let defaultPerUser: Int64 = 64 << 20
    /// 128 files of all users: half the most customerd keeps for everything not a connection.
    static let defaultMaxFiles = 128
    /// Files a user may hold and still be given one of the ``reserve``: a few large exports each,
    /// as the connections keep theirs for users holding fewer than 4.
    static let reserveUserLimit = 4

    /// Whether a file was taken (``takeFile(for:)``), and which bound refused it.
    enum FileGrant: Equatable {
        case taken
        /// All ``maxFiles`` are held.
        case poolFull
        /// The pool is in its ``reserve`` and the owner holds `held` files, at least ``reserveUserLimit``.
        case reserveKept(held: Int)
    }

    let perUser: Int64
    /// Id files (descriptors) all users' streams may hold open at once.
    let maxFiles: Int
    /// The last of ``maxFiles``, kept for owners holding fewer than ``reserveUserLimit``: a quarter.
    let reserve: Int
    /// Free bytes the files never take from the database's file system (0: no check).
    let freeSpaceReserve: Int64
    private let held = Mutex<[UInt32?: Int64]>([:])
    private let files = Mutex(FileCounts())

    /// The files held open, all together and by owner.
    private struct FileCounts {
        var open = 0
        var held: [UInt32?: Int] = [:]
    }

    init(perUser: Int64, maxFiles: Int, freeSpaceReserve: Int64) {
        self.perUser = perUser
        self.maxFiles = maxFiles
        // A quarter, rounded down (none of a pool under 4): one owner at its own limit and a second
        // with what is left still leave it.
        reserve = max(maxFiles, 0) / 4
        self.freeSpaceReserve = freeSpaceReserve
    }

    /// Takes one of ``maxFiles`` for a file `owner`'s stream is about to make; nothing is taken
    /// unless it answers ``FileGrant/taken``.
    func takeFile(for owner: UInt32?) -> FileGrant {
        files.withLock { files in
            guard files.open < maxFiles else { return .poolFull }
            let held = files.held[owner, default: 0]
            // Users at their own limit must not fill the pool: its last files go to users holding few.
            if files.open >= maxFiles - reserve, held >= Self.reserveUserLimit { return .reserveKept(held: held) }
            files.open += 1
            files.held[owner] = held + 1
            return .taken
        }
    }

    /// Gives back a file ``takeFile(for:)`` took for `owner` (its stream ended, however it ended).
    func giveBackFile(for owner: UInt32?) {
        files.withLock { files in
            files.open = max(files.open - 1, 0)
            let left = files.held[owner, default: 0] - 1
            files.held[owner] = left > 0 ? left : nil
        }
    }

    /// Id files all streams hold open now, for tests and statistics.
    var filesOpen: Int { files.withLock { $0.open } }

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

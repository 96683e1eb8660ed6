import CustomerStore
import Synchronization

/// The users any thread of the server looked up by uid in one epoch of its ``UserDirectory``,
/// for a thread whose own table does not hold the uid yet: a connection's new thread (a follower
/// started while its leader ran a call, which leaves again once enough followers wait) began with
/// an empty table and read its caller from the store, ~19 000–30 000 instructions a read under
/// callgrind, 23–66 times in runs of 5 000–10 000 pipelined gets there; natively once a new
/// connection (docs/performance/HISTORY.md "serve33").
///
/// Taken only on a thread's miss, never by a call its thread already knows the caller of, so its
/// lock is not on a call's path. Tagged with the epoch as the threads' tables are, by the same
/// rule: the epoch a user is kept under was read before the user was, so a change that commits
/// after that read starts a newer epoch, under which the user is never handed out.
final class SharedUserTable: Sendable {
    private struct Table {
        var epoch: UInt64 = 0
        var users: [UInt32: StoredUser] = [:]
    }

    /// The most users kept: uids come from the sockets' peers, so a few; bounded all the same.
    static let capacity = 256

    private let table = Mutex(Table())

    /// The user kept for `uid` in `epoch`, nil if none was.
    func user(uid: UInt32, epoch: UInt64) -> StoredUser? {
        table.withLock { $0.epoch == epoch ? $0.users[uid] : nil }
    }

    /// Keeps `user`, read for `uid` after `epoch` was read. Users of an older epoch are dropped
    /// first; a user of an epoch older than the table's is not kept (a newer change is in it).
    func keep(_ user: StoredUser, uid: UInt32, epoch: UInt64) {
        table.withLock { table in
            if table.epoch != epoch {
                // Epochs only grow (`UserEpochs`): a smaller one is from before a change.
                guard table.epoch < epoch else { return }
                table = Table(epoch: epoch)
            } else if table.users.count >= Self.capacity {
                table.users.removeAll(keepingCapacity: true)
            }
            table.users[uid] = user
        }
    }
}

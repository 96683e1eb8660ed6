import CustomerStore
import Glibc
import Synchronization

/// Maps OS uids (and, for trusted services, user names) to users with their profile's rights,
/// with a cache in front of the store.
///
/// Every call resolves its caller, so this sits on the hot path; users and profiles change rarely
/// and only through this server (it alone owns the database), so every change goes through
/// `changing(_:)`, which starts a new epoch: a new profile or a deactivation holds from the next call.
///
/// The cache is per thread (a connection's threads serve one uid, call after call), tagged with
/// the epoch it was filled in, so a call takes no lock and writes nothing shared: one atomic load
/// of the epoch, then the thread's own dictionary. (A `Mutex` around one shared cache was taken by
/// every call on every connection: its cache line moved between cores on each call, and a thread
/// preempted while holding it made the others sleep in futex(2).) A thread new to a uid copies
/// its user from a table all threads share (``SharedUserTable``, locked only on such a miss)
/// rather than reading the store.
final class UserDirectory: Sendable {
    private let store: CustomerStore
    /// The epoch the thread caches must carry to be used; a new one after every change.
    private let currentEpoch = Atomic<UInt64>(UserEpochs.next())
    /// What the threads looked up by uid in the current epoch, for a thread new to a uid
    /// (internal for the tests).
    let shared = SharedUserTable()

    init(store: CustomerStore) {
        self.store = store
    }

    /// From this thread's table, else the one all threads share, else the store.
    func user(uid: UInt32) throws -> StoredUser? {
        try cached(uid, in: { $0.byUID }) { epoch in
            if let user = shared.user(uid: uid, epoch: epoch) { return user }
            guard let user = try store.user(uid: uid) else { return nil }
            shared.keep(user, uid: uid, epoch: epoch)
            return user
        }
    }

    /// Keyed by the name exactly as asked for (the store compares names ignoring case).
    func user(name: String) throws -> StoredUser? {
        try cached(name, in: { $0.byName }) { _ in try store.user(name: name) }
    }

    /// The caller this thread last made for `uid` calling as itself (``keep(_:)``), while it is
    /// what resolving `uid` again would make: no user or profile changed since (its epoch is the
    /// current one) and this thread's cache still holds the user it was made from. A connection's
    /// calls then share one `Caller` rather than each allocating and freeing its own, with the
    /// user copied into it (docs/performance/HISTORY.md "serve32").
    func keptCaller(uid: UInt32) -> Caller? {
        let current = epoch
        guard let users = ThreadUsers.ofThisThread(), users.epoch == current, let caller = users.ownCaller,
              caller.epoch == current, caller.user.uid == uid else { return nil }
        return caller
    }

    /// Keeps `caller`, just made for its user's own uid with no service, for this thread's next
    /// calls of that uid (``keptCaller(uid:)``); not when the epoch moved since it was resolved.
    func keep(_ caller: Caller) {
        guard caller.service == nil, caller.epoch == epoch, let users = ThreadUsers.ofThisThread(),
              users.epoch == caller.epoch else { return }
        users.ownCaller = caller
    }

    /// Runs a change of users or profiles, then forgets every cached user (one profile change
    /// alters the rights of many users).
    func changing<T>(_ change: () throws -> T) throws -> T {
        defer { forgetAll() }
        return try change()
    }

    /// Changes with every change of users or profiles: a long call that compares it with the one it
    /// last saw learns, with one atomic load, whether its caller must be resolved again
    /// (`CallerStanding`).
    var epoch: UInt64 { currentEpoch.load(ordering: .acquiring) }

    /// Forgets every cached user. Also run after a keyed write has committed: inside one, `changing`
    /// runs before the COMMIT, and a call in between may have cached the old row again.
    func forgetAll() {
        currentEpoch.store(UserEpochs.next(), ordering: .releasing)
    }

    /// The user under `key` in this thread's cache if it was filled in the current epoch, else
    /// from `load`, handed that epoch. The epoch is read before the store: a change that commits
    /// after that read starts a newer epoch, so what this call caches is never used after the change.
    ///
    /// `table` is a closure, not a key path: `users[keyPath:]` went through the runtime's key-path
    /// projection on every call (~1 300 instructions of a get's ~54 000, callgrind).
    private func cached<Key: Hashable>(
        _ key: Key, in table: (ThreadUsers) -> UserTable<Key>,
        load: (_ epoch: UInt64) throws -> StoredUser?
    ) throws -> StoredUser? {
        let current = epoch
        guard let users = ThreadUsers.ofThisThread() else { return try load(current) }
        if users.epoch != current {
            users.forget(startingEpoch: current)
        } else if let user = table(users).users[key] {
            return user
        }
        guard let user = try load(current) else { return nil }
        // Bounded: names are kept as asked for, and the store matches them ignoring case, so a
        // caller naming one user in ever new spellings would otherwise grow the cache without end.
        if table(users).users.count >= ThreadUsers.capacity { users.forget(startingEpoch: current) }
        table(users).users[key] = user
        return user
    }
}

/// Hands out epochs, process-wide, so that a directory created where another was (tests start
/// many servers in one process) never takes a thread cache of the old one for its own.
private enum UserEpochs {
    private static let last = Atomic<UInt64>(0)

    static func next() -> UInt64 { last.add(1, ordering: .relaxed).newValue }
}

/// The users one thread has looked up, for one epoch.
///
/// Not `Sendable`, and need not be: it is only reached through its thread's pthread key, so only
/// that thread ever touches it; the key's destructor releases it when the thread ends.
private final class ThreadUsers {
    /// The most users one table keeps; a thread serves one caller, which names few.
    static let capacity = 256

    private(set) var epoch: UInt64 = 0
    let byUID = UserTable<UInt32>()
    let byName = UserTable<String>()
    /// The last caller made for a uid calling as itself, from its user in `byUID` in this epoch:
    /// forgotten with the tables, so it is never older than what they hold.
    /// `@exclusivity(unchecked)` as the tables: only this thread reads and sets it.
    @exclusivity(unchecked) var ownCaller: Caller?

    func forget(startingEpoch epoch: UInt64) {
        self.epoch = epoch
        ownCaller = nil
        byUID.users.removeAll(keepingCapacity: true)
        byName.users.removeAll(keepingCapacity: true)
    }

    /// This thread's cache, created on first use; nil if the thread cannot have one (no pthread
    /// key left), and then every call reads the store.
    static func ofThisThread() -> ThreadUsers? {
        guard let key = threadUsersKey else { return nil }
        if let stored = pthread_getspecific(key) {
            return Unmanaged<ThreadUsers>.fromOpaque(stored).takeUnretainedValue()
        }
        let users = Unmanaged.passRetained(ThreadUsers())
        guard pthread_setspecific(key, users.toOpaque()) == 0 else {
            users.release()
            return nil
        }
        return users.takeUnretainedValue()
    }
}

/// One table of a thread's users, by uid or by name (a class, so that `cached` can be handed the
/// table to read and fill).
private final class UserTable<Key: Hashable> {
    /// `@exclusivity(unchecked)`: only its thread touches it (``ThreadUsers``), and `cached` reads
    /// and writes it in accesses that never overlap; the runtime's check cost a get ~80 instructions
    /// (docs/performance/HISTORY.md "get28").
    @exclusivity(unchecked) var users: [Key: StoredUser] = [:]
}

/// One key for every directory (keys are few: PTHREAD_KEYS_MAX); nil if none could be created.
private let threadUsersKey: pthread_key_t? = {
    var key = pthread_key_t()
    let created = pthread_key_create(&key) { stored in
        if let stored { Unmanaged<ThreadUsers>.fromOpaque(stored).release() }
    }
    return created == 0 ? key : nil
}()

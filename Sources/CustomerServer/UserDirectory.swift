import CustomerStore
import Synchronization

/// Maps OS uids (and, for trusted services, user names) to users with their profile's rights,
/// with a cache in front of the store.
///
/// Every call resolves its caller, so this sits on the hot path; users and profiles change rarely
/// and only through this server (it alone owns the database), so every change goes through
/// `changing(_:)`, which empties the cache: a new profile or a deactivation holds from the next call.
final class UserDirectory: Sendable {
    private let store: CustomerStore
    private let cache = Mutex(Cache())

    private struct Cache {
        var byUID: [UInt32: StoredUser] = [:]
        /// Keyed by the name exactly as asked for (the store compares names ignoring case).
        var byName: [String: StoredUser] = [:]
    }

    init(store: CustomerStore) {
        self.store = store
    }

    func user(uid: UInt32) throws -> StoredUser? {
        if let cached = cache.withLock({ $0.byUID[uid] }) {
            return cached
        }
        guard let user = try store.user(uid: uid) else {
            return nil
        }
        cache.withLock { $0.byUID[uid] = user }
        return user
    }

    func user(name: String) throws -> StoredUser? {
        if let cached = cache.withLock({ $0.byName[name] }) {
            return cached
        }
        guard let user = try store.user(name: name) else {
            return nil
        }
        cache.withLock { $0.byName[name] = user }
        return user
    }

    /// Runs a change of users or profiles, then forgets every cached user (one profile change
    /// alters the rights of many users).
    func changing<T>(_ change: () throws -> T) throws -> T {
        defer { forgetAll() }
        return try change()
    }

    /// Forgets every cached user. Also run after a keyed write has committed: inside one, `changing`
    /// runs before the COMMIT, and a call in between may have cached the old row again.
    func forgetAll() {
        cache.withLock { $0 = Cache() }
    }
}

import Synchronization

/// Maps OS uids to users, with a cache in front of the store.
///
/// Every call resolves its caller, so this sits on the hot path; users change rarely and only
/// through this server (it alone owns the database), so the cache is cleared on each change here.
final class UserDirectory: Sendable {
    private let store: Store
    private let cache = Mutex<[UInt32: StoredUser]>([:])

    init(store: Store) {
        self.store = store
    }

    func user(uid: UInt32) throws -> StoredUser? {
        if let cached = cache.withLock({ $0[uid] }) {
            return cached
        }
        guard let user = try store.user(uid: uid) else {
            return nil
        }
        cache.withLock { $0[uid] = user }
        return user
    }

    func addUser(uid: UInt32, name: String, isAdministrator: Bool) throws -> StoredUser {
        let user = try store.addUser(uid: uid, name: name, isAdministrator: isAdministrator)
        cache.withLock { $0.removeAll() }
        return user
    }
}

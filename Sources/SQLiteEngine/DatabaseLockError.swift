/// Why ``DatabaseLock`` could not be taken.
public enum DatabaseLockError: Error, Sendable, Hashable {
    /// Another process holds the lock; the pid it wrote into the lock file, if it did yet.
    case inUse(ownerPID: Int32?)
    /// A system call on the lock file failed: its name, the lock file's path and `errno`.
    case systemCall(name: String, path: String, errno: Int32)
}

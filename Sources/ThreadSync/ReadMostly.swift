import Glibc

/// A value that many threads read on every call and that changes rarely, under a pthread
/// read-write lock: readers never wait for one another, and no reader makes a system call unless
/// a writer holds the lock or waits for it.
///
/// Why not a `Mutex`: one that every call of every connection takes is contended at 16
/// connections, and Swift's `Mutex` on Linux enters the kernel on each contended lock and unlock
/// (a priority-inheritance futex): the health service's registry made 1.45 futex calls per health
/// check at 16 connections, and the handlers that slept in them looked slow to the
/// `LeadershipWatchdog`, which polled their sockets 1.1 times per check (docs/performance/HISTORY.md, "wake9").
///
/// glibc's default favours readers: a writer waits until no reader holds the lock, which suits
/// values written at start-up and shutdown.
package final class ReadMostly<Value: Sendable>: @unchecked Sendable {
    // Safe: `value` is read only under the read lock and written only under the write lock; the
    // lock is allocated in init and destroyed in deinit, when no thread uses it.
    private var value: Value
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    package init(_ value: Value) {
        self.value = value
        lock = .allocate(capacity: 1)
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// Runs `body` on the value, alongside any other readers.
    package func read<T>(_ body: (Value) throws -> T) rethrows -> T {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(value)
    }

    /// Changes the value, alone.
    package func write<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(&value)
    }
}

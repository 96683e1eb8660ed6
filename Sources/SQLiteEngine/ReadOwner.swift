import Glibc

/// Whose reads the current thread runs (an OS uid), for ``ConnectionPool``'s share of its
/// connections among the owners waiting for one.
///
/// Kept per thread (a pthread key), because a call's reads check out connections deep inside the
/// store, on the thread that runs the call, without the caller being passed down. A server sets
/// it as a call begins, before its first read (the caller's identity is read too), and the thread
/// keeps it until its next call sets its own: a connection thread reads nothing between calls.
/// Reading it is a load from the thread's own block, no system call.
package enum ReadOwner {
    /// Reads of no call (the server's own, tests): one owner of their own.
    package static let unknown = -1

    /// Made once per process; if the process has no key left (PTHREAD_KEYS_MAX), every read is
    /// `unknown`'s: the pool still serves all, first come first served, only not shared out.
    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        return pthread_key_create(&key, nil) == 0 ? key : nil
    }()

    /// The current thread's owner, or ``unknown``.
    package static var current: Int {
        guard let key, let value = pthread_getspecific(key) else { return unknown }
        // Stored as the uid plus one, so that uid 0 is not the null pointer of "none".
        return Int(bitPattern: UInt(bitPattern: value)) - 1
    }

    /// Makes `uid` the current thread's owner (nil: none).
    package static func set(_ uid: UInt32?) {
        guard let key else { return }
        _ = pthread_setspecific(key, uid.flatMap { UnsafeRawPointer(bitPattern: UInt($0) + 1) })
    }
}

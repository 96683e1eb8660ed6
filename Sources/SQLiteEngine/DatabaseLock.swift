import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The one-owner rule of a database: an exclusive flock(2) on `<database>.lock`, held from before
/// anything is read, migrated or cleaned until its owner releases it.
///
/// SQLite's own locks only serialize transactions; two servers on one file would each think they
/// own what lives beside it (the store's upload staging area, the checkpoints). flock is released
/// by the kernel when the process dies, so a crash never leaves a stale lock behind (the file
/// itself stays, harmlessly).
public final class DatabaseLock: Sendable {
    /// The lock file: the database's path plus `.lock`.
    public let path: String
    /// nil once released: close(2) must run once, a closed number is soon reused.
    private let descriptor: Mutex<Int32?>

    /// Takes the lock without waiting and writes this process's pid into the file.
    ///
    /// - Throws: ``DatabaseLockError/inUse(ownerPID:)`` with the owner's pid when another process
    ///   holds it; ``DatabaseLockError/systemCall(name:path:errno:)`` when a call on the file fails.
    public init(databasePath: String) throws {
        let path = databasePath + ".lock"
        // O_NOFOLLOW: a link planted at the lock's path is refused, never followed; 0600 whatever the umask.
        let descriptor = try Self.call("open", path) {
            open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        }
        // This process's own lock, just released, can stay held for a moment: a child spawned by
        // another thread holds a copy of the descriptor from fork until exec closes it (O_CLOEXEC),
        // which on a busy machine can take milliseconds. Only then is the lock waited for, briefly.
        var ownLockWaitsLeft = 1_000
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            let owner = Self.recordedPID(descriptor)
            if code == EWOULDBLOCK, owner == getpid(), ownLockWaitsLeft > 0 {
                ownLockWaitsLeft -= 1
                usleep(1_000)
                continue
            }
            close(descriptor)
            if code == EWOULDBLOCK {
                throw DatabaseLockError.inUse(ownerPID: owner)
            }
            throw DatabaseLockError.systemCall(name: "flock", path: path, errno: code)
        }
        do {
            try Self.call("ftruncate", path) { ftruncate(descriptor, 0) }
            let pid = Array("\(getpid())\n".utf8)
            _ = try pid.withUnsafeBytes { bytes in
                try Self.call("pwrite", path) { pwrite(descriptor, bytes.baseAddress, bytes.count, 0) }
            }
        } catch {
            close(descriptor)
            throw error
        }
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    /// Runs `body` (a system call returning -1 with `errno` on failure) until it is not interrupted.
    @discardableResult
    private static func call<Result: BinaryInteger>(_ name: String, _ path: String, _ body: () -> Result) throws -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            // EINTR: a signal arrived before the call did anything; POSIX says to simply retry.
            if code == EINTR { continue }
            throw DatabaseLockError.systemCall(name: name, path: path, errno: code)
        }
    }

    /// The pid the owner wrote, or nil (it may not have written it yet).
    private static func recordedPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Releases the lock (closing the descriptor drops the flock); later calls do nothing.
    public func release() {
        if let descriptor = descriptor.withLock({ held in defer { held = nil }; return held }) {
            close(descriptor)
        }
    }

    deinit {
        release()
    }
}

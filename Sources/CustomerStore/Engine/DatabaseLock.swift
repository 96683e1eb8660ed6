import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The one-owner rule of a database: an exclusive flock(2) on `<database>.lock`, held from before
/// anything is read, migrated or cleaned until the store closes.
///
/// SQLite's own locks only serialize transactions; two servers on one file would each think it
/// owns the upload staging area and the checkpoints. flock is released by the kernel when the
/// process dies, so a crash never leaves a stale lock behind (the file itself stays, harmlessly).
final class DatabaseLock: Sendable {
    let path: String
    /// nil once released: close(2) must run once, a closed number is soon reused.
    private let descriptor: Mutex<Int32?>

    /// Takes the lock without waiting and writes this process's pid into the file.
    ///
    /// - Throws: ``StoreOpeningError`` `.inUse` with the owner's pid when another process holds it.
    init(databasePath: String) throws {
        let path = databasePath + ".lock"
        // O_NOFOLLOW: a link planted at the lock's path is refused, never followed; 0600 whatever the umask.
        let descriptor = try FileSystem.call("open", path) {
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
                throw StoreOpeningError(path: databasePath, reason: .inUse(ownerPID: owner))
            }
            throw FileSystem.error("flock", path, code)
        }
        do {
            try FileSystem.call("ftruncate", path) { ftruncate(descriptor, 0) }
            let pid = Array("\(getpid())\n".utf8)
            _ = try pid.withUnsafeBytes { bytes in
                try FileSystem.call("pwrite", path) { pwrite(descriptor, bytes.baseAddress, bytes.count, 0) }
            }
        } catch {
            close(descriptor)
            throw error
        }
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    /// The pid the owner wrote, or nil (it may not have written it yet).
    private static func recordedPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Releases the lock (closing the descriptor drops the flock); later calls do nothing.
    func release() {
        if let descriptor = descriptor.withLock({ held in defer { held = nil }; return held }) {
            close(descriptor)
        }
    }

    deinit {
        release()
    }
}

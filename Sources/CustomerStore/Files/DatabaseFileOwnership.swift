import DirectorySafety
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The check, before a database is opened and every second while it is served, that nobody but
/// the server's user (and root) can have put, or can later swap, the files customer data is
/// written to.
///
/// Why: the database file is made owner-only (`FileSystem.createOwnerOnlyFile`) only when it is not
/// there yet, and SQLite writes into whatever file it finds at the path, its write-ahead log too.
/// Another local user who could create names in the database's directory (a shared or sticky
/// directory, or `/tmp/customercard-UID` made by it before the server's first start, where the
/// database goes when HOME is unset) planted `customers.sqlite` and `customers.sqlite-wal` of its
/// own, mode 0666, and read every customer the server then wrote (redteam20b,
/// contrib/hostile/file_planting.py). So the directory must pass ``DirectoryRule`` (the server's
/// user's or root's, writable by nobody else), and each of the database's files already there must
/// be a regular file of the server's user. A writer of a directory above it could rename the
/// database's directory away and put its own in its place, so each of those must pass
/// ``DirectoryRule/ancestor(of:)`` too (caps21; before, only the directory itself was looked at).
enum DatabaseFileOwnership {
    /// The files SQLite and the store keep beside the database, as suffixes of its path.
    static let companionSuffixes = ["", "-wal", "-shm", ".lock", ".wal-length"]

    /// - Throws: ``StoreOpeningError`` `.unsafeFile` naming the file or directory and why.
    static func requireSafe(databasePath path: String) throws {
        if let problem = directoryProblem(databasePath: path) {
            throw StoreOpeningError(path: path, reason: .unsafeFile(problem))
        }
        let owner = geteuid()
        var info = stat()
        for suffix in companionSuffixes {
            let file = path + suffix
            guard lstat(file, &info) == 0 else { continue }
            if info.st_mode & S_IFMT != S_IFREG {
                throw StoreOpeningError(path: path, reason: .unsafeFile(
                    "\(file) is not a regular file (a symbolic link or other special file); refusing to write customers through it"))
            }
            if info.st_uid != owner {
                throw StoreOpeningError(path: path, reason: .unsafeFile(
                    "\(file) belongs to uid \(info.st_uid), not to this server's user (uid \(owner)): its owner could read or "
                    + "change every customer; refusing to serve it"))
            }
        }
    }

    /// What start-up would refuse about the database's directory or the directories above it now,
    /// or what changed about its files since the store made them the owner's alone (another owner,
    /// a mode that lets group or others in); nil when nothing. The server asks every second.
    static func problemWhileServing(databasePath path: String) -> String? {
        if let problem = directoryProblem(databasePath: path) { return problem }
        let owner = geteuid()
        var info = stat()
        for file in [path, path + "-wal"] where lstat(file, &info) == 0 {
            let mode = UInt32(info.st_mode) & 0o7777
            if info.st_uid != owner {
                return "\(file) now belongs to uid \(info.st_uid), not to this server's user (uid \(owner)): its owner can read "
                    + "or change every customer; give it back (chown), find who changed it, and restart customerd"
            }
            if mode & 0o077 != 0 {
                return "\(file) now has mode \(String(mode, radix: 8)): group or others may read or change every customer; "
                    + "chmod 600 \(file), find who changed it, and restart customerd"
            }
        }
        return nil
    }

    /// The database's directory against ``DirectoryRule``, then each directory above it against
    /// the ancestors' rule, worded with the fix; nil when all pass.
    private static func directoryProblem(databasePath path: String) -> String? {
        let parent = (path as NSString).deletingLastPathComponent
        let directory = parent.isEmpty ? "." : parent
        let owner = geteuid()
        switch DirectoryRule(user: owner).finding(atPath: directory, followingLinks: true) {
        case .ownedBy(let uid):
            return "its directory \(directory) belongs to uid \(uid), not to this server's user (uid \(owner)) or root: its "
                + "owner could read the customers or replace the database; choose a directory of the server's user"
        case .writableByOthers(let mode):
            return "its directory \(directory) has mode \(String(mode, radix: 8)): group or others may create files there, "
                + "such as a database or write-ahead log of their own that the server would write customers into; "
                + "chmod go-w \(directory), or choose another directory"
        case .notADirectory, nil:
            // Not a directory, or not there: opening the database says so.
            break
        }
        guard let (ancestor, finding) = DirectoryRule.unsafeAncestor(of: directory, user: owner) else { return nil }
        switch finding {
        case .ownedBy(let uid):
            return "the directory \(ancestor) above its directory belongs to uid \(uid), not to this server's user (uid \(owner)) "
                + "or root: its owner could rename the database's directory away and put one of its own in its place; "
                + "choose a directory whose parents are root's or the server's user's"
        case .writableByOthers(let mode):
            return "the directory \(ancestor) above its directory has mode \(String(mode, radix: 8)) (not sticky): group or "
                + "others may rename the database's directory away and put one of their own in its place; chmod go-w "
                + "\(ancestor) (or chmod +t, as /tmp), or choose another directory"
        case .notADirectory:
            // realpath(3) resolved every link: only a directory is above a directory.
            return "\(ancestor) above its directory is not a directory"
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The check, before a database is opened, that nobody but the server's user (and root) can have
/// put, or can later swap, the files customer data is written to.
///
/// Why: the database file is made owner-only (`FileSystem.createOwnerOnlyFile`) only when it is not
/// there yet, and SQLite writes into whatever file it finds at the path, its write-ahead log too.
/// Another local user who could create names in the database's directory (a shared or sticky
/// directory, or `/tmp/customercard-UID` made by it before the server's first start, where the
/// database goes when HOME is unset) planted `customers.sqlite` and `customers.sqlite-wal` of its
/// own, mode 0666, and read every customer the server then wrote (redteam20b,
/// contrib/hostile/file_planting.py). So the directory must belong to the server's user or root
/// and be writable by nobody else, and each of the database's files already there must be a
/// regular file of the server's user.
enum DatabaseFileOwnership {
    /// The files SQLite and the store keep beside the database, as suffixes of its path.
    static let companionSuffixes = ["", "-wal", "-shm", ".lock"]

    /// - Throws: ``StoreOpeningError`` `.unsafeFile` naming the file or directory and why.
    static func requireSafe(databasePath path: String) throws {
        let parent = (path as NSString).deletingLastPathComponent
        let directory = parent.isEmpty ? "." : parent
        let owner = geteuid()
        var info = stat()
        if stat(directory, &info) == 0 {
            if info.st_uid != owner, info.st_uid != 0 {
                throw refusal(path, "its directory \(directory) belongs to uid \(info.st_uid), not to this server's user (uid \(owner)) "
                              + "or root: its owner could read the customers or replace the database; "
                              + "choose a directory of the server's user")
            }
            let mode = UInt32(info.st_mode) & 0o7777
            if mode & 0o022 != 0 {
                throw refusal(path, "its directory \(directory) has mode \(String(mode, radix: 8)): group or others may create "
                              + "files there, such as a database or write-ahead log of their own that the server would write "
                              + "customers into; chmod go-w \(directory), or choose another directory")
            }
        }
        for suffix in companionSuffixes {
            let file = path + suffix
            guard lstat(file, &info) == 0 else { continue }
            if info.st_mode & S_IFMT != S_IFREG {
                throw refusal(path, "\(file) is not a regular file (a symbolic link or other special file); "
                              + "refusing to write customers through it")
            }
            if info.st_uid != owner {
                throw refusal(path, "\(file) belongs to uid \(info.st_uid), not to this server's user (uid \(owner)): "
                              + "its owner could read or change every customer; refusing to serve it")
            }
        }
    }

    private static func refusal(_ path: String, _ why: String) -> StoreOpeningError {
        StoreOpeningError(path: path, reason: .unsafeFile(why))
    }
}

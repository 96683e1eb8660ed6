import DirectorySafety
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The check, before a restore reads a backup, that nobody but the restoring user (and root) can
/// have written what it reads.
///
/// Why: a restore makes the backup's database the live one, its users and their profiles included,
/// and nothing in a backup says who wrote it: the manifest and SQLite's integrity_check say it is
/// whole, not whose it is. Another local user who could write the backup's database or manifest,
/// create files in its folder, or rename the folder away from a directory above it, could have an
/// administrator restore a database of its own making, one that names its own uid an administrator
/// (redteam28, `contrib/hostile/file_planting.py`). So the folder is held to ``DirectoryRule``, the
/// directories above it to its ancestors' rule, as the live database's are
/// (`DatabaseFileOwnership`), and each file the restore reads as it is must be a regular file of
/// the user or root that others cannot write. The stored file contents are not looked at: the
/// restore checks each against the SHA-256 the (checked) database names, as it copies it.
enum BackupFolderSafety {
    /// What the restore reads as it finds it: the manifest, the database, and what SQLite would
    /// read beside a database it opens (a write-ahead log is replayed into it).
    static let checkedFiles = [BackupManifest.fileName]
        + ["", "-wal", "-shm", "-journal"].map { BackupManifest.databaseName + $0 }

    /// Checks the backup folder `folder` and returns it resolved (realpath(3)), so that what is
    /// read afterwards is what was checked, not what a link names by then. A folder that is not
    /// there is returned as given: reading its manifest says so.
    /// - Throws: `failedPrecondition` (field `from`) naming the directory or file and why.
    static func checkedFolder(_ folder: String) throws -> String {
        guard let resolved = realpath(folder, nil) else { return folder }
        let real = String(cString: resolved)
        free(resolved)
        if let problem = problem(resolvedFolder: real) {
            throw StoreError.failedPrecondition(
                problem + "; a restore makes the backup's users and profiles the server's, so it reads only what "
                    + "no other user could have written", field: "from")
        }
        return real
    }

    /// What is wrong with the directories above the backup folder `folder` (its parent, then each
    /// one above that, resolved by realpath(3)) by ``DirectoryRule/ancestor(of:)``'s rule, worded
    /// with the fix; nil when each passes or the parent is not there. A backup is made only where
    /// this finds nothing (`BackupTarget`): elsewhere another user could swap its staging folder or
    /// the backup for its own, and a restore refuses it.
    static func problemAbove(folder: String) -> String? {
        guard let resolved = realpath((folder as NSString).deletingLastPathComponent, nil) else { return nil }
        let parent = String(cString: resolved)
        free(resolved)
        let owner = geteuid()
        let found = DirectoryRule.ancestor(of: owner).finding(atPath: parent, followingLinks: false).map { (parent, $0) }
            ?? DirectoryRule.unsafeAncestor(of: parent, user: owner)
        guard let (directory, finding) = found else { return nil }
        switch finding {
        case .ownedBy(let uid):
            return "the directory \(directory) above the backup folder belongs to uid \(uid), not to this server's user "
                + "(uid \(owner)) or root: its owner could put a backup folder of its own in the place of \(folder)"
        case .writableByOthers(let mode):
            return "the directory \(directory) above the backup folder has mode \(String(mode, radix: 8)) (not sticky): "
                + "group or others could put a backup folder of their own in the place of \(folder); chmod go-w "
                + "\(directory) (or chmod +t, as /tmp) once you know nobody did, or choose another folder"
        case .notADirectory:
            return "\(directory) above the backup folder is not a directory"
        }
    }

    private static func problem(resolvedFolder folder: String) -> String? {
        let owner = geteuid()
        switch DirectoryRule(user: owner).finding(atPath: folder, followingLinks: false) {
        case .ownedBy(let uid):
            return "the backup folder \(folder) belongs to uid \(uid), not to this user (uid \(owner)) or root: its owner "
                + "could have put a database of its own making there; copy the backup into a folder of yours and restore the copy"
        case .writableByOthers(let mode):
            return "the backup folder \(folder) has mode \(String(mode, radix: 8)): group or others could have put a "
                + "database of their own making there; chmod go-w \(folder) once you know nobody did"
        case .notADirectory:
            // Not a directory: reading its manifest says so.
            return nil
        case nil:
            break
        }
        if let problem = problemAbove(folder: folder) { return problem }
        var info = stat()
        for name in checkedFiles {
            let file = folder + "/" + name
            guard lstat(file, &info) == 0 else { continue }
            let mode = UInt32(info.st_mode) & 0o7777
            if info.st_mode & S_IFMT != S_IFREG {
                return "\(file) is not a regular file (a symbolic link or other special file), which no backup holds"
            }
            if info.st_uid != owner, info.st_uid != 0 {
                return "\(file) belongs to uid \(info.st_uid), not to this user (uid \(owner)) or root: its owner could have "
                    + "written it"
            }
            if mode & 0o022 != 0 {
                return "\(file) has mode \(String(mode, radix: 8)): group or others could have written it; chmod go-w "
                    + "\(file) once you know nobody did"
            }
        }
        return nil
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a backup goes: an absolute path with nothing there (or an empty folder), in a folder that
/// exists. The backup is built in a hidden staging folder beside it and renamed to it when done.
struct BackupTarget {
    /// The longest name the target's last component may have: the staging folder beside it is
    /// named `.NAME.partial-` and up to 16 hex digits, 26 bytes more, and a name has at most 255.
    static let longestName = 255 - 26

    /// The target, standardized (no trailing slash, no `.` or `..`).
    let path: String
    let parent: String

    /// Checks the target before anything is copied.
    /// - Parameter databasePath: the live database's path, whose own files no backup may take.
    /// - Throws: `invalidArgument` (field `to`) for a relative path, `/`, a control character, or
    ///   one of the live database's own files or a path inside one; `alreadyExists` when something
    ///   other than an empty folder is there; `failedPrecondition` for a missing folder.
    init(_ target: String, databasePath: String) throws {
        // The name is printed (answers, log lines, customerctl, ls, scripts that read a folder's
        // names a line each): a line break or an escape sequence in it is refused, not escaped
        // in each place (gaps29; redteam28 found it taken).
        if let violation = TextInput.controlViolation(in: target, field: "to", lines: .single) {
            throw StoreError.invalidArgument([violation])
        }
        guard target.hasPrefix("/") else {
            throw StoreError.invalid(
                "to", "must be an absolute path: the server writes it, and the caller's working directory means nothing there")
        }
        path = (target as NSString).standardizingPath
        parent = (path as NSString).deletingLastPathComponent
        guard path != "/" else { throw StoreError.invalid("to", "must name a folder below /") }
        // Checked here, not left to mkdir(2): its ENAMETOOLONG was answered INTERNAL (redteam28).
        let nameBytes = (path as NSString).lastPathComponent.utf8.count
        guard nameBytes <= Self.longestName else {
            throw StoreError.invalid(
                "to", "must end in a name of at most \(Self.longestName) bytes, got \(nameBytes): the backup is built "
                    + "beside it in a folder named .NAME.partial-XXXXXXXXXXXXXXXX, and a name has at most 255")
        }
        if let live = Self.liveFileTaken(byTargetNamed: (path as NSString).lastPathComponent, in: parent,
                                         databasePath: databasePath) {
            throw StoreError.invalid(
                "to", "must not be the live database's own file or folder, nor inside one: \(path) is (or would be) one "
                    + "of \(live) and the files named \((live as NSString).lastPathComponent)-… or "
                    + "\((live as NSString).lastPathComponent).… beside it (its log, its files folder, its lock); a backup "
                    + "there would replace or mix with the live data, choose a folder elsewhere")
        }
        var status = stat()
        if lstat(path, &status) == 0 {
            let isEmptyFolder = (status.st_mode & S_IFMT) == S_IFDIR
                && (try? FileManager.default.contentsOfDirectory(atPath: path).isEmpty) == true
            guard isEmptyFolder else {
                throw StoreError.alreadyExists("\(path) exists and is not an empty folder; a backup never replaces anything",
                                               field: "to")
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError.failedPrecondition("the folder \(parent) does not exist (a backup creates only its own folder)",
                                                field: "to")
        }
        // Where another user may rename entries, it could swap the staging folder for a link
        // before the server writes into it, or the backup for its own after (redteam28).
        if let problem = BackupFolderSafety.problemAbove(folder: path) {
            throw StoreError.failedPrecondition(problem + "; customerd --restore would refuse such a backup", field: "to")
        }
    }

    /// The live database's path (resolved) when the target `name` in `parent` is that database or
    /// one of the files beside it named after it (`-wal`, `-shm`, `-journal`, `.files`, `.lock`,
    /// `.wal-length`, … and any such name a later version adds), or lies inside one (the files
    /// folder, also before it exists); nil otherwise. Compared resolved (realpath(3), of the
    /// nearest folder that exists), so a link to the database's folder does not pass: an empty
    /// `customers.sqlite.files`, before the first upload, was replaced by the backup (redteam28).
    private static func liveFileTaken(byTargetNamed name: String, in parent: String, databasePath: String) -> String? {
        /// `path` with its nearest existing ancestor resolved and the rest appended as written.
        func resolved(_ path: String) -> String {
            var existing = path
            var rest: [String] = []
            while existing != "/" {
                if let real = realpath(existing, nil) {
                    defer { free(real) }
                    let found = String(cString: real)
                    return rest.isEmpty ? found : (found == "/" ? "" : found) + "/" + rest.reversed().joined(separator: "/")
                }
                rest.append((existing as NSString).lastPathComponent)
                existing = (existing as NSString).deletingLastPathComponent
            }
            return "/" + rest.reversed().joined(separator: "/")
        }
        let absolute = databasePath.hasPrefix("/")
            ? databasePath : FileManager.default.currentDirectoryPath + "/" + databasePath
        let databaseFolder = resolved((absolute as NSString).deletingLastPathComponent)
        let live = (databaseFolder == "/" ? "" : databaseFolder) + "/" + (absolute as NSString).lastPathComponent
        let realParent = resolved(parent)
        let target = (realParent == "/" ? "" : realParent) + "/" + name
        let isLive = target == live || target.hasPrefix(live + "-") || target.hasPrefix(live + ".")
        return isLive ? live : nil
    }

    /// Creates the hidden staging folder (mode 0700) beside the target.
    func makeStagingDirectory() throws -> String {
        let name = (path as NSString).lastPathComponent
        let staging = "\(parent)/.\(name).partial-\(String(UInt64.random(in: .min ... .max), radix: 16))"
        while mkdir(staging, 0o700) != 0 {
            let code = errno
            if code == EINTR { continue }
            if code == EACCES || code == EPERM || code == EROFS {
                // The caller cannot see why from its side: the server, not the caller, writes here.
                throw StoreError.failedPrecondition(
                    "the server's user (uid \(geteuid())) may not write in \(parent): \(String(cString: strerror(code)))",
                    field: "to")
            }
            if code == ENOSPC || code == EDQUOT || code == EMFILE || code == ENFILE {
                throw FileSystem.error("mkdir", staging, code)
            }
            // The place cannot hold a folder (/proc, a parent swapped for a file or a link loop
            // since it was looked at): the caller's target is wrong, the server is not at fault
            // (these were answered INTERNAL, redteam28).
            throw StoreError.failedPrecondition(
                "cannot make a folder in \(parent): \(String(cString: strerror(code)))", field: "to")
        }
        return staging
    }

    /// Renames the finished staging folder to the target (rename(2) replaces an empty folder) and
    /// makes that durable.
    func moveIntoPlace(_ staging: String) throws {
        try FileSystem.call("rename", path) { rename(staging, path) }
        try FileSystem.syncDirectory(parent)
    }
}

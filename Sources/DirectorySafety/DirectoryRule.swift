import Glibc

/// Who may change what a directory holds: the one rule behind the database's directory, the
/// socket's directory (customerd) and the default socket's directory (customerctl).
///
/// Why one rule: whoever may create, remove or rename entries in a directory may swap the files
/// in it (a database, a write-ahead log, a socket) for their own, so such a directory must belong
/// to the user (or root, who could do anything anyway) and be writable by nobody else. The three
/// places each held this rule in their own words (caps21 put it here); each still words its own
/// refusal, because each names its own file and fix.
///
/// The directories above it are held to a looser rule (``ancestor(of:)``, as OpenSSH's
/// StrictModes does for `~/.ssh`): a writer of a parent may rename the directory away and put
/// its own in its place, so each parent must belong to the user or root and be writable by nobody
/// else, unless it is sticky (`/tmp`): there others may create entries of their own, but not
/// rename or remove the user's.
public struct DirectoryRule: Sendable {
    /// The user the directory must be safe for (the process's effective user, by default).
    public let user: uid_t
    /// Whether root's directories pass: false where the server creates the directory itself and
    /// so must own it (the socket's).
    public let admitsRoot: Bool
    /// Whether a directory others may write to passes when its sticky bit is set.
    public let admitsSticky: Bool

    public init(user: uid_t = geteuid(), admitsRoot: Bool = true, admitsSticky: Bool = false) {
        self.user = user
        self.admitsRoot = admitsRoot
        self.admitsSticky = admitsSticky
    }

    /// The rule for a directory above the one that holds the files: root's or the user's, and
    /// writable by others only when sticky.
    public static func ancestor(of user: uid_t = geteuid()) -> DirectoryRule {
        DirectoryRule(user: user, admitsRoot: true, admitsSticky: true)
    }

    /// What is wrong with the directory `info` describes (from stat(2), lstat(2) or fstat(2), as
    /// the caller needs), or nil.
    public func finding(_ info: stat) -> DirectoryFinding? {
        guard info.st_mode & S_IFMT == S_IFDIR else { return .notADirectory }
        guard info.st_uid == user || (admitsRoot && info.st_uid == 0) else { return .ownedBy(info.st_uid) }
        let mode = UInt32(info.st_mode) & 0o7777
        if mode & 0o022 != 0, !(admitsSticky && mode & UInt32(S_ISVTX) != 0) { return .writableByOthers(mode: mode) }
        return nil
    }

    /// What is wrong with the directory at `path`; nil when it is right or not there (the caller
    /// creates it, or refuses it, itself). `followingLinks`: stat(2) rather than lstat(2).
    public func finding(atPath path: String, followingLinks: Bool) -> DirectoryFinding? {
        var info = stat()
        let looked = followingLinks ? stat(path, &info) : lstat(path, &info)
        return looked == 0 ? finding(info) : nil
    }

    /// The first directory above `directory` (resolved by realpath(3), from `/` down) that
    /// ``ancestor(of:)``'s rule refuses, with what is wrong; nil when every one passes or
    /// `directory` cannot be resolved (it is not there: the caller's own checks say so).
    public static func unsafeAncestor(of directory: String, user: uid_t = geteuid())
        -> (path: String, finding: DirectoryFinding)? {
        guard let resolved = realpath(directory, nil) else { return nil }
        let real = String(cString: resolved)
        free(resolved)
        let rule = ancestor(of: user)
        var current = ""
        var parents = ["/"]
        for component in real.split(separator: "/").dropLast() {
            current += "/" + component
            parents.append(current)
        }
        if real == "/" { parents = [] }
        for parent in parents {
            if let finding = rule.finding(atPath: parent, followingLinks: false) { return (parent, finding) }
        }
        return nil
    }
}

import Glibc

/// What ``DirectoryRule`` found wrong with one directory: each caller words it in its own error,
/// naming its own file and fix.
public enum DirectoryFinding: Equatable, Sendable {
    /// The path names something else than a directory (a symbolic link, when looked at without
    /// following it).
    case notADirectory
    /// It belongs to another user than the one the rule is for (and not to root, where the rule
    /// admits root).
    case ownedBy(uid_t)
    /// Group or others may create, remove or rename entries in it (and it is not a sticky
    /// directory the rule admits); `mode` is its permission bits, 0o7777.
    case writableByOthers(mode: UInt32)
}

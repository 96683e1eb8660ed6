/// Why a database was refused at open, before anything in it changed. The server stops with a
/// message naming the file and this reason (and an exit code per reason, see customerd --help).
public struct StoreOpeningError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// Another process (normally another customerd) holds the database's lock file.
        case inUse(ownerPID: Int32?)
        /// SQLite's quick_check found damage; its first findings, as SQLite words them.
        case damaged(findings: [String])
        /// The file cannot be written (its mode, a read-only mount): every write would fail.
        case readOnly
        /// A server found the write-ahead log cut short and left `marker` (`CutShortMarker`);
        /// `noticed` is its first line, saying when and by whom.
        case cutShort(marker: String, noticed: String)
        /// Another local user could have put, or could replace, the database's files: the directory
        /// or a file is another user's, the directory is writable by others, or a file is a link.
        case unsafeFile(String)
    }

    /// The database file.
    public let path: String
    public let reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .inUse(let pid?):
            return "the database \(path) is in use by another server (pid \(pid)); one server per database"
        case .inUse(nil):
            return "the database \(path) is in use by another server; one server per database"
        case .damaged(let findings):
            return "the database \(path) is damaged (SQLite quick_check: \(findings.joined(separator: "; "))); "
                + "refusing to serve it: restore a backup, or try `sqlite3 \(path) .recover`"
        case .readOnly:
            return "the database \(path) cannot be written (file mode, owner or a read-only file system); refusing to serve it"
        case .cutShort(let marker, let noticed):
            return "the database \(path) lost writes: its write-ahead log was cut short (\(marker): "
                + "\(noticed)); refusing to serve what is left. " + CutShortMarker.remedy(databasePath: path)
        case .unsafeFile(let why):
            return "the database \(path) is unsafe: \(why)"
        }
    }
}

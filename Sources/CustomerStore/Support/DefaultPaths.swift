import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the server keeps its database when not told otherwise (the socket's rule is
/// `CustomerAPI.DefaultEndpoint`, shared with the clients, which never see the database).
///
/// Database: `$CUSTOMER_DATABASE`, else `$XDG_DATA_HOME/customercard/customers.sqlite`, else
/// `$HOME/.local/share/customercard/customers.sqlite`, else `/tmp/customercard-<uid>/customers.sqlite`.
/// Empty or relative XDG values are ignored, as the XDG Base Directory spec requires.
public enum DefaultPaths {
    static let directoryName = "customercard"

    /// The database path for this environment.
    public static func database(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = nonEmpty(environment["CUSTOMER_DATABASE"]) { return explicit }
        let file = "\(directoryName)/customers.sqlite"
        if let data = absolute(environment["XDG_DATA_HOME"]) { return "\(data)/\(file)" }
        if let home = absolute(environment["HOME"]) { return "\(home)/.local/share/\(file)" }
        return "\(fallbackDirectory())/customers.sqlite"
    }

    /// Creates the missing directories above `path` with mode 0700 (only the owner may enter:
    /// the database holds personal data and the socket's directory guards who may connect).
    ///
    /// - Throws: `StoreError.failedPrecondition` naming the directory and errno when one cannot be created.
    public static func ensureParentDirectory(of path: String) throws {
        let parent = (path as NSString).deletingLastPathComponent
        guard !parent.isEmpty else { return }
        var current = parent.hasPrefix("/") ? "" : "."
        for component in parent.split(separator: "/") {
            current += "/" + component
            // mkdir(2): EEXIST means it is already there (made earlier or by another process).
            if mkdir(current, 0o700) != 0, errno != EEXIST {
                let reason = String(cString: strerror(errno))
                throw StoreError.unusable("cannot create directory \(current): \(reason)")
            }
        }
        var status = stat()
        guard stat(parent, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else {
            throw StoreError.unusable("\(parent) is not a directory")
        }
    }

    /// `/tmp/customercard-<uid>`: per user, so users never share (or squat) each other's directory.
    static func fallbackDirectory() -> String {
        "/tmp/\(directoryName)-\(getuid())"
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    private static func absolute(_ value: String?) -> String? {
        guard let value = nonEmpty(value), value.hasPrefix("/") else { return nil }
        return value
    }
}

import Foundation

/// Where the server listens unless told otherwise; server and clients share this one rule.
///
/// `CUSTOMER_SOCKET` wins; then `$XDG_RUNTIME_DIR/customercard/customerd.sock` (the per-user
/// runtime directory the login manager creates with mode 0700; an empty or relative value is
/// ignored, as the XDG Base Directory spec requires); then `/tmp/customercard-UID/customerd.sock`
/// where no runtime directory exists (containers, cron, CI).
public enum DefaultEndpoint {
    public static func socketPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["CUSTOMER_SOCKET"], !explicit.isEmpty {
            return explicit
        }
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            return runtime + "/customercard/customerd.sock"
        }
        return "/tmp/customercard-\(getuid())/customerd.sock"
    }

    /// Whether `CUSTOMER_SOCKET` names the socket; else ``socketPath(environment:)`` is the
    /// user's own location, where only the user's own server (or root's) belongs.
    public static func isNamed(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["CUSTOMER_SOCKET"].map { !$0.isEmpty } ?? false
    }

    /// The OS users whose server a client trusts at the user's own default socket: the user and
    /// root (a system service manager binding it for the user, socket activation).
    public static var ownServerUsers: Set<UInt32> { [getuid(), 0] }
}

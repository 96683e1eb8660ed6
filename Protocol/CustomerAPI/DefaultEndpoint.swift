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
}

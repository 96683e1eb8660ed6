import DirectorySafety
import Glibc

/// Whether the socket customerctl found by the default rule, not named by the user, may be
/// someone else's.
///
/// Why: with no runtime directory the default is `/tmp/customercard-UID/customerd.sock`, and any
/// local user can create that directory first (mode 0777, or their own) and listen there. customerd
/// refuses to start in it, but customerctl connected to whatever listened and sent it the
/// user's requests (customer data, imports) and showed its answers (redteam18). A socket or
/// directory of another user (root aside, who could do anything anyway) at the default path is
/// refused; naming it (`--socket`, `CUSTOMER_SOCKET`) says the user means it, as for a server
/// shared through `--socket-mode` under a service account.
enum DefaultSocketCheck {
    /// What is wrong with `socketPath`'s directory or socket file, or nil: each must be missing or
    /// belong to this user or root, the directory a real one no one else may write to.
    static func problem(with socketPath: String) -> String? {
        guard let slash = socketPath.lastIndex(of: "/"), slash != socketPath.startIndex else { return nil }
        let directory = String(socketPath[..<slash])
        let user = getuid()
        switch DirectoryRule(user: user).finding(atPath: directory, followingLinks: false) {
        case .notADirectory:
            return refusal(socketPath, "its directory \(directory) is not a directory (a symbolic link?)")
        case .ownedBy(let uid):
            return refusal(socketPath, "its directory \(directory) belongs to uid \(uid), not to you (uid \(user))")
        case .writableByOthers(let mode):
            return refusal(socketPath, "its directory \(directory) has mode \(String(mode, radix: 8)): others may put "
                           + "their socket there")
        case nil:
            break
        }
        var info = stat()
        if lstat(socketPath, &info) == 0, info.st_uid != user, info.st_uid != 0 {
            return refusal(socketPath, "it belongs to uid \(info.st_uid), not to you (uid \(user))")
        }
        return nil
    }

    private static func refusal(_ socketPath: String, _ reason: String) -> String {
        "refusing the default socket \(socketPath): \(reason), so another user may have put it there to receive your "
            + "calls. Name the socket with --socket PATH (or CUSTOMER_SOCKET) if you mean to talk to that server"
    }
}

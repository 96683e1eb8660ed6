import DirectorySafety
import Glibc
import RPCCore
import RPCTransport

/// The directory that holds the socket file, opened once and checked through that descriptor.
///
/// Whoever may write to this directory may rename their own socket over the server's and receive
/// its callers' requests, so it must belong to the server's user and be writable by nobody else.
/// Everything afterwards (the stale-socket check, the rename into place, the removal at shutdown)
/// goes through the descriptor, never the path again: a directory swapped in after the check is
/// never used, and a symbolic link is never followed.
struct SocketDirectory: Sendable {
    let path: String
    /// Open (O_DIRECTORY | O_NOFOLLOW) for the listener's whole life; closed by `close()`.
    let descriptor: Int32

    /// Creates the missing directories of `path` (mode 0700), opens the last one without following
    /// a symbolic link and checks its owner and mode. When the socket is shared (`searchBits`
    /// non-zero), those execute bits are added so other users can reach the socket inside; they
    /// give no right to list, create or rename anything.
    static func open(_ path: String, searchBits: UInt32) throws(RPCServerError) -> SocketDirectory {
        try createMissing(path)
        let descriptor = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            // A symbolic link fails with ELOOP (O_NOFOLLOW) or ENOTDIR (O_DIRECTORY is checked first).
            var info = stat()
            if code == ELOOP || (code == ENOTDIR && lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK) {
                throw RPCServerError(.unsafeSocketDirectory,
                                     "the socket directory \(path) is a symbolic link; refusing to follow it (name the real directory)")
            }
            throw SocketFileListener.failure(code, "cannot open the socket directory \(path)")
        }
        do throws(RPCServerError) {
            try check(descriptor, path: path, searchBits: searchBits)
        } catch {
            Glibc.close(descriptor)
            throw error
        }
        return SocketDirectory(path: path, descriptor: descriptor)
    }

    /// The rule for the socket's directory: the server's user's own (not root's: the server made
    /// it, or its user must have), writable by nobody else, whatever its sticky bit.
    private static let rule = DirectoryRule(admitsRoot: false)

    /// Refuses what ``rule`` refuses; adds `searchBits` to a directory that passes.
    private static func check(_ descriptor: Int32, path: String, searchBits: UInt32) throws(RPCServerError) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SocketFileListener.failure(errno, "cannot stat the socket directory \(path)") }
        switch rule.finding(info) {
        case .ownedBy(let uid):
            throw RPCServerError(.unsafeSocketDirectory,
                                 "the socket directory \(path) belongs to uid \(uid), not to this server's user (uid \(rule.user)); "
                                 + "refusing it: its owner could replace the socket")
        case .writableByOthers(let mode):
            throw RPCServerError(.unsafeSocketDirectory,
                                 "the socket directory \(path) has mode \(String(mode, radix: 8)): group or others may write to it "
                                 + "and could replace the socket; refusing it (chmod go-w \(path), or choose another directory)")
        case .notADirectory:
            // Opened with O_DIRECTORY: only a directory gets here.
            throw RPCServerError(.unsafeSocketDirectory, "the socket directory \(path) is not a directory")
        case nil:
            break
        }
        let mode = UInt32(info.st_mode) & 0o7777
        if mode & searchBits != searchBits {
            guard fchmod(descriptor, mode_t(mode | searchBits)) == 0 else {
                throw SocketFileListener.failure(errno, "cannot let other users reach the socket directory \(path)")
            }
        }
    }

    /// What the start-up check (`check`) would refuse now, or the directory no longer at its path;
    /// nil when neither.
    func problem() -> String? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        var atPath = stat()
        if lstat(path, &atPath) != 0 || atPath.st_dev != info.st_dev || atPath.st_ino != info.st_ino {
            return "the socket directory \(path) was removed, moved or replaced: new clients cannot reach this server's socket; "
                + "restart customerd"
        }
        switch Self.rule.finding(info) {
        case .ownedBy(let uid):
            return "the socket directory \(path) now belongs to uid \(uid), not to this server's user (uid \(Self.rule.user)): "
                + "its owner could replace the socket; give it back (chown) and restart customerd"
        case .writableByOthers(let mode):
            return "the socket directory \(path) now has mode \(String(mode, radix: 8)): group or others may write to it and "
                + "could replace the socket; chmod go-w \(path), check the socket file, and restart customerd"
        case .notADirectory, nil:
            break
        }
        return nil
    }

    /// mkdir(2) of each missing component with mode 0700; EEXIST means it is already there.
    private static func createMissing(_ path: String) throws(RPCServerError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o700) != 0, errno != EEXIST {
                throw SocketFileListener.failure(errno, "cannot create the socket directory \(current)")
            }
        }
    }

    /// `/proc/self/fd/N/name`: a path that reaches `name` through this descriptor, for the calls
    /// that only take a path (bind(2) and connect(2) have no *at variant).
    func pathThroughDescriptor(_ name: String) -> String {
        "/proc/self/fd/\(descriptor)/\(name)"
    }

    /// The entry `name` without following it: nil when there is none.
    func entry(_ name: String) -> stat? {
        var info = stat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return info
    }

    func close() {
        Glibc.close(descriptor)
    }
}

import Glibc
import RPCCore
import RPCTransport

/// The listening socket and its file: created with its final mode before anyone can reach it,
/// inside a directory only the server's user may write to, refused when a live server owns the
/// path, replacing a stale file, removed on shutdown.
struct SocketFileListener: Sendable {
    let socket: UnixSocket
    let path: String
    private let directory: SocketDirectory
    /// The socket's name inside `directory`.
    private let name: String
    /// Device and inode of the file we created, so shutdown never removes a successor's socket.
    private let identity: (device: UInt64, inode: UInt64)

    static let backlog: Int32 = 512

    /// Binds inside a fresh 0700 directory in the socket's directory, sets the mode (and group),
    /// listens, then renames the socket onto `path`: rename(2) is atomic, so the path never shows
    /// a socket with a wider mode, and a stale socket left by a crash is replaced in the same step.
    /// Every step goes through the checked directory's descriptor (see ``SocketDirectory``).
    static func open(path: String, mode: UInt32, group: UInt32? = nil) throws(RPCServerError) -> SocketFileListener {
        guard path.utf8.count <= UnixSocket.maxPathLength else {
            throw RPCServerError(.invalidSocketPath,
                                 "socket path \(path) is \(path.utf8.count) bytes long, the limit is \(UnixSocket.maxPathLength)")
        }
        let (directoryPath, name) = split(path)
        guard !name.isEmpty, name != ".", name != ".." else {
            throw RPCServerError(.invalidSocketPath, "socket path \(path) does not end in a file name")
        }
        // Others need search permission on the directory to reach a socket whose mode lets them
        // in; for group and others alike, because the directory's group is seldom the socket's.
        // Search alone lists nothing and allows no change: the socket's own mode still decides.
        let searchBits: UInt32 = mode & 0o066 != 0 ? 0o011 : 0
        let directory = try SocketDirectory.open(directoryPath, searchBits: searchBits)
        do throws(RPCServerError) {
            try checkExisting(path, name: name, in: directory)
            let (socket, identity) = try bindAndRename(name: name, mode: mode, group: group, in: directory, path: path)
            return SocketFileListener(socket: socket, path: path, directory: directory, name: name, identity: identity)
        } catch {
            directory.close()
            throw error
        }
    }

    private static func bindAndRename(name: String, mode: UInt32, group: UInt32?, in directory: SocketDirectory,
                                      path: String) throws(RPCServerError) -> (UnixSocket, (UInt64, UInt64)) {
        let temporaryName = ".rpc-" + String(UInt64.random(in: .min ... .max), radix: 36)
        guard mkdirat(directory.descriptor, temporaryName, 0o700) == 0 else {
            throw failure(errno, "cannot create a temporary directory in \(directory.path)")
        }
        let temporaryDescriptor = openat(directory.descriptor, temporaryName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        defer {
            if temporaryDescriptor >= 0 {
                unlinkat(temporaryDescriptor, "s", 0)
                Glibc.close(temporaryDescriptor)
            }
            unlinkat(directory.descriptor, temporaryName, AT_REMOVEDIR)
        }
        guard temporaryDescriptor >= 0 else { throw failure(errno, "cannot open a temporary directory in \(directory.path)") }
        let socket: UnixSocket
        do {
            socket = try UnixSocket.makeStreamSocket()
        } catch {
            throw failure(error.errno, "cannot create a socket")
        }
        do throws(IOError) {
            try UnixSocket.withAddress("/proc/self/fd/\(temporaryDescriptor)/s") { address, length throws(IOError) in
                _ = try syscall("bind") { bind(socket.fd, address, length) }
            }
            _ = try syscall("chmod") { fchmodat(temporaryDescriptor, "s", mode_t(mode), 0) }
            if let group {
                // uid_t(bitPattern: -1): leave the owner as it is (chown(2)).
                _ = try syscall("chown") { fchownat(temporaryDescriptor, "s", uid_t.max, gid_t(group), AT_SYMLINK_NOFOLLOW) }
            }
            _ = try syscall("listen") { listen(socket.fd, backlog) }
            _ = try syscall("rename") { renameat(temporaryDescriptor, "s", directory.descriptor, name) }
            guard let info = directory.entry(name) else { throw IOError(call: "stat", errno: errno) }
            return (socket, (UInt64(info.st_dev), UInt64(info.st_ino)))
        } catch {
            socket.close()
            throw failure(error.errno, "cannot listen on \(path) (\(error.call))")
        }
    }

    /// Refuses a path held by a live server or by something that is not a socket (a symbolic link
    /// included: it is neither followed nor replaced); a socket nobody listens on (connect gives
    /// ECONNREFUSED) is stale and will be replaced.
    private static func checkExisting(_ path: String, name: String, in directory: SocketDirectory) throws(RPCServerError) {
        guard let info = directory.entry(name) else { return }
        switch info.st_mode & S_IFMT {
        case S_IFSOCK:
            break
        case S_IFLNK:
            throw RPCServerError(.invalidSocketPath, "\(path) is a symbolic link; refusing to follow or replace it")
        default:
            throw RPCServerError(.invalidSocketPath, "\(path) exists and is not a socket; refusing to replace it")
        }
        do {
            let probe = try UnixSocket.connect(to: directory.pathThroughDescriptor(name))
            probe.close()
            throw RPCServerError(.addressInUse, "another server is already listening on \(path)")
        } catch let error as RPCServerError {
            throw error
        } catch let error as IOError where error.errno == ECONNREFUSED {
            return   // stale: left behind by a server that did not shut down cleanly
        } catch let error as IOError {
            throw failure(error.errno, "cannot check the existing socket \(path)")
        } catch {
            throw RPCServerError(.systemCallFailed, "cannot check the existing socket \(path): \(error)")
        }
    }

    /// The directory and the file name of `path`.
    private static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    static func failure(_ code: Int32, _ context: String) -> RPCServerError {
        let reason = String(cString: strerror(code))
        switch code {
        case EACCES, EPERM, EROFS: return RPCServerError(.permissionDenied, "\(context): \(reason)")
        case ENOENT, ENOTDIR, ENAMETOOLONG: return RPCServerError(.invalidSocketPath, "\(context): \(reason)")
        default: return RPCServerError(.systemCallFailed, "\(context): \(reason)")
        }
    }

    /// The socket file removed or replaced, or its directory given to another owner, opened to
    /// writes by others or moved away while the server runs (the accept loop asks every second).
    /// customerd goes on serving the connections it has and the socket it holds; new clients
    /// cannot reach it, or may reach another's socket, so the operator must hear of it
    /// (redteam18: none of it was noticed, and the start-up checks never ran again).
    func problem() -> String? {
        if let reason = directory.problem() { return reason }
        guard let info = directory.entry(name) else {
            return "the socket file \(path) was removed: new clients cannot reach this server (connections already open go "
                + "on); restart customerd to create it again"
        }
        guard UInt64(info.st_dev) == identity.device, UInt64(info.st_ino) == identity.inode else {
            return "the socket file \(path) was replaced by another file (owner uid \(info.st_uid), mode "
                + "\(String(UInt32(info.st_mode) & 0o7777, radix: 8))): new clients reach it instead of this server; "
                + "find who replaced it, then restart customerd"
        }
        return nil
    }

    /// Closes the listening socket and removes the file if it is still the one we created.
    func close() {
        socket.close()
        if let info = directory.entry(name), UInt64(info.st_dev) == identity.device, UInt64(info.st_ino) == identity.inode {
            unlinkat(directory.descriptor, name, 0)
        }
        directory.close()
    }
}

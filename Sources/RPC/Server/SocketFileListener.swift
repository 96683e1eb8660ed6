import Glibc

/// The listening socket and its file: created with its final mode before anyone can reach it,
/// refused when a live server owns the path, replacing a stale file, removed on shutdown.
struct SocketFileListener: Sendable {
    let socket: UnixSocket
    let path: String
    /// Device and inode of the file we created, so shutdown never removes a successor's socket.
    private let identity: (device: UInt64, inode: UInt64)

    static let backlog: Int32 = 512

    /// Binds inside a fresh 0700 directory next to `path`, sets the mode, listens, then renames the
    /// socket onto `path`: rename(2) is atomic, so the path never shows a socket with a wider mode,
    /// and a stale socket left by a crash is replaced in the same step.
    static func open(path: String, mode: UInt32) throws(RPCServerError) -> SocketFileListener {
        guard path.utf8.count <= UnixSocket.maxPathLength else {
            throw RPCServerError(.invalidSocketPath,
                                 "socket path \(path) is \(path.utf8.count) bytes long, the limit is \(UnixSocket.maxPathLength)")
        }
        try checkExisting(path)
        let directory = parentDirectory(of: path)
        var template = Array((directory + "/.rpc-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard created != nil else { throw failure(errno, "cannot create a temporary directory in \(directory)") }
        let temporaryDirectory = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let temporaryPath = temporaryDirectory + "/s"
        defer {
            unlink(temporaryPath)
            rmdir(temporaryDirectory)
        }
        guard temporaryPath.utf8.count <= UnixSocket.maxPathLength else {
            throw RPCServerError(.invalidSocketPath, "socket directory \(directory) is too long for a Unix socket path")
        }
        let socket: UnixSocket
        do {
            socket = try UnixSocket.makeStreamSocket()
        } catch {
            throw failure(error.errno, "cannot create a socket")
        }
        do throws(IOError) {
            try UnixSocket.withAddress(temporaryPath) { address, length throws(IOError) in
                _ = try syscall("bind") { bind(socket.fd, address, length) }
            }
            _ = try syscall("chmod") { chmod(temporaryPath, mode_t(mode)) }
            _ = try syscall("listen") { listen(socket.fd, backlog) }
            _ = try syscall("rename") { rename(temporaryPath, path) }
            var info = stat()
            _ = try syscall("stat") { stat(path, &info) }
            return SocketFileListener(socket: socket, path: path, identity: (UInt64(info.st_dev), UInt64(info.st_ino)))
        } catch {
            socket.close()
            throw failure(error.errno, "cannot listen on \(path) (\(error.call))")
        }
    }

    /// Refuses a path held by a live server or by something that is not a socket; a socket nobody
    /// listens on (connect gives ECONNREFUSED) is stale and will be replaced.
    private static func checkExisting(_ path: String) throws(RPCServerError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw RPCServerError(.invalidSocketPath, "\(path) exists and is not a socket; refusing to replace it")
        }
        do {
            let probe = try UnixSocket.connect(to: path)
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

    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    private static func failure(_ code: Int32, _ context: String) -> RPCServerError {
        let reason = String(cString: strerror(code))
        switch code {
        case EACCES, EPERM, EROFS: return RPCServerError(.permissionDenied, "\(context): \(reason)")
        case ENOENT, ENOTDIR, ENAMETOOLONG: return RPCServerError(.invalidSocketPath, "\(context): \(reason)")
        default: return RPCServerError(.systemCallFailed, "\(context): \(reason)")
        }
    }

    /// Closes the listening socket and removes the file if it is still the one we created.
    func close() {
        socket.close()
        var info = stat()
        if lstat(path, &info) == 0, UInt64(info.st_dev) == identity.device, UInt64(info.st_ino) == identity.inode {
            unlink(path)
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The store's one wrapper for the POSIX file calls behind file blobs: it retries on EINTR and
/// turns a failure into a `StoreError` naming the call, the path and errno's text.
enum FileSystem {
    /// Runs `body` (a system call returning -1 with `errno` on failure) until it is not interrupted.
    @discardableResult
    static func call<Result: BinaryInteger>(_ name: String, _ path: String, _ body: () -> Result) throws -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            // EINTR: a signal arrived before the call did anything; POSIX says to simply retry.
            if code == EINTR { continue }
            throw error(name, path, code)
        }
    }

    /// The store error for errno `code`: a full disk or quota, and the process's or the system's
    /// descriptors all taken, are resource limits, anything else an I/O error. A resource limit's
    /// message goes to the client as it is, so it names no path: an import's spool next to the
    /// database told every user where the database lives (found filling a small disk, redteam16).
    static func error(_ name: String, _ path: String, _ code: Int32) -> StoreError {
        let reason = String(cString: strerror(code))
        if code == ENOSPC || code == EDQUOT {
            return .resourceExhausted(StoreError.fileSpaceExhaustedMessage)
        }
        if code == EMFILE || code == ENFILE {
            return .resourceExhausted(StoreError.descriptorsExhaustedMessage)
        }
        return .io("\(name) \(path): \(reason)")
    }

    /// Creates a directory with mode 0700 (file content is customer data: owner only).
    /// - Returns: whether it was created now (false when it already existed).
    @discardableResult
    static func makeDirectory(_ path: String) throws -> Bool {
        while mkdir(path, 0o700) != 0 {
            let code = errno
            if code == EINTR { continue }
            if code == EEXIST { return false }
            throw error("mkdir", path, code)
        }
        return true
    }

    /// Creates `path` as an empty file with mode 0600 unless something is there already
    /// (O_EXCL); O_NOFOLLOW: a symbolic link at the path is not followed.
    static func createOwnerOnlyFile(_ path: String) throws {
        while true {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if descriptor >= 0 {
                close(descriptor)
                return
            }
            let code = errno
            if code == EINTR { continue }
            if code == EEXIST { return }
            throw error("open", path, code)
        }
    }

    /// Takes group and other permissions off an existing file of ours (databases made by earlier
    /// versions were 0644); a missing file or one owned by someone else is left alone.
    static func restrictToOwner(_ path: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_uid == geteuid(),
              status.st_mode & 0o077 != 0 else { return }
        try call("chmod", path) { chmod(path, status.st_mode & 0o700) }
    }

    /// Makes a directory's entries (a rename or an unlink in it) durable: POSIX only promises that
    /// for a rename once the directory itself is fsync'ed (fsync(2), "calling fsync() on the file
    /// does not ensure that the entry in the directory containing the file has also reached disk").
    static func syncDirectory(_ path: String) throws {
        let descriptor = try call("open", path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(descriptor) }
        try call("fsync", path) { fsync(descriptor) }
    }

    /// Writes every byte, continuing after short writes (write(2) may write less than asked).
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = try call("write", path) {
                write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            offset += written
        }
    }

    /// The size of the regular file at `path`, or nil when there is none.
    static func regularFileSize(_ path: String) -> Int64? {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(status.st_size)
    }

    /// Makes an owner-only file in `directory` (named `prefix` and six random characters) and
    /// unlinks it at once: it holds no name, so no other process finds it, and it disappears with
    /// its descriptor, also after a crash. Returns its descriptor (close-on-exec) and the name it
    /// had, for errors.
    static func makeUnlinkedFile(in directory: String, prefix: String) throws -> (descriptor: Int32, name: String) {
        var template = Array("\(directory)/\(prefix)XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        let name = template.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { String(cString: $0) } ?? directory
        }
        guard made >= 0 else { throw error("mkstemp", name, errno) }
        _ = fcntl(made, F_SETFD, FD_CLOEXEC)
        do {
            try removeFile(name)
        } catch {
            close(made)
            throw error
        }
        return (made, name)
    }

    /// Removes a file; one already gone is fine (another remover got there first).
    static func removeFile(_ path: String) throws {
        while unlink(path) != 0 {
            let code = errno
            if code == EINTR { continue }
            if code == ENOENT { return }
            throw error("unlink", path, code)
        }
    }
}

import Foundation
import Hashing
#if canImport(Glibc)
import Glibc
#endif

/// File content on disk, addressed by its SHA-256: `<database>.files/aa/bb/<64 hex digits>`,
/// where `aa` and `bb` are the digest's first two bytes (so no directory grows past 256 entries
/// per level). Uploads are written to `<database>.files/tmp/` and renamed into place.
///
/// Identical content is stored once; which rows reference a blob is the `files` table's business
/// (the store removes a blob when its last row goes).
struct BlobStore: Sendable {
    let root: String

    init(databasePath: String) {
        root = databasePath + ".files"
    }

    var temporaryDirectory: String { root + "/tmp" }

    /// The blob's path for a lower-case hex digest.
    func path(of sha256: String) -> String {
        let hex = Array(sha256.utf8)
        let first = String(decoding: hex.prefix(2), as: UTF8.self)
        let second = String(decoding: hex.dropFirst(2).prefix(2), as: UTF8.self)
        return "\(root)/\(first)/\(second)/\(sha256)"
    }

    /// Creates a new, empty temporary file for an upload (owner-only).
    /// - Returns: its open descriptor (write-only) and path.
    func makeTemporaryFile() throws -> (descriptor: Int32, path: String) {
        try FileSystem.makeDirectory(root)
        try FileSystem.makeDirectory(temporaryDirectory)
        let name = String(UInt64.random(in: .min ... .max), radix: 16) + String(UInt64.random(in: .min ... .max), radix: 16)
        let path = "\(temporaryDirectory)/\(name).upload"
        // O_EXCL: never open (and truncate) a file that is already there.
        let descriptor = try FileSystem.call("open", path) {
            open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        }
        return (descriptor, path)
    }

    /// Moves a finished upload's temporary file to its content address, durably: the temporary
    /// file was fsync'ed by the caller; the rename is made durable by syncing the directory. When
    /// an intact blob with that digest is there already the temporary file is dropped instead.
    ///
    /// Intact means its content still hashes to its name (`isIntact`): comparing sizes only would
    /// acknowledge an upload whose existing blob was damaged on disk, and it could never be read
    /// back. A damaged blob is replaced, so uploading the right content again repairs it.
    ///
    /// - Parameter existingIsIntact: what `isIntact` said before the caller took the writer (the
    ///   hash is read outside it, so a large blob does not hold up every other write); the size is
    ///   checked again here, in case the blob was removed meanwhile.
    /// - Returns: whether the temporary file became the blob (false: the existing one is reused).
    func place(temporaryPath: String, sha256: String, size: Int64, existingIsIntact: Bool) throws -> Bool {
        let destination = path(of: sha256)
        if existingIsIntact, FileSystem.regularFileSize(destination) == size {
            try FileSystem.removeFile(temporaryPath)
            return false
        }
        let second = (destination as NSString).deletingLastPathComponent
        let first = (second as NSString).deletingLastPathComponent
        let madeFirst = try FileSystem.makeDirectory(first)
        let madeSecond = try FileSystem.makeDirectory(second)
        // rename(2) replaces a damaged blob of the wrong size atomically.
        try FileSystem.call("rename", temporaryPath) { rename(temporaryPath, destination) }
        try FileSystem.syncDirectory(second)
        if madeSecond { try FileSystem.syncDirectory(first) }
        if madeFirst { try FileSystem.syncDirectory(root) }
        return true
    }

    /// Reads the blob stored under `sha256` in chunks of at most `chunkSize` bytes, passing each
    /// to `body` and hashing it on the way.
    ///
    /// The blob is opened once: a concurrent removal does not cut the read short (an unlinked file
    /// stays readable through an open descriptor).
    /// - Returns: the size and SHA-256 of what was read; nil when no blob is stored there.
    /// - Throws: `io`, or what `body` throws.
    func read(sha256: String, chunkSize: Int, _ body: ([UInt8]) throws -> Void) throws -> BlobContent? {
        let path = path(of: sha256)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw FileSystem.error("open", path, code)
        }
        defer { Glibc.close(descriptor) }
        var hasher = SHA256()
        var total: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: max(1, chunkSize))
        while true {
            let count = try buffer.withUnsafeMutableBytes { bytes in
                try FileSystem.call("read", path) { Glibc.read(descriptor, bytes.baseAddress, bytes.count) }
            }
            if count == 0 { break }
            let chunk = Array(buffer[..<count])
            hasher.update(chunk)
            total += Int64(count)
            try body(chunk)
        }
        return BlobContent(size: total, sha256: hasher.finalizeHex())
    }

    /// Whether a blob with this content is stored and still hashes to its name.
    func isIntact(sha256: String, size: Int64) -> Bool {
        guard FileSystem.regularFileSize(path(of: sha256)) == size else { return false }
        // An unreadable blob is treated as damaged: the upload then replaces it.
        let content = try? read(sha256: sha256, chunkSize: Self.hashingChunkSize) { _ in }
        return content == BlobContent(size: size, sha256: sha256)
    }

    /// The chunk size for checking a blob's hash.
    static let hashingChunkSize = 64 * 1024

    /// Deletes a blob (no row references it any more).
    func remove(sha256: String) throws {
        try FileSystem.removeFile(path(of: sha256))
    }

    /// Deletes every temporary file: at open no upload is running, so what is there was left by
    /// an upload that a crash interrupted.
    func removeStaleUploads() throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporaryDirectory) else { return }
        for name in names {
            try FileSystem.removeFile("\(temporaryDirectory)/\(name)")
        }
    }

    /// The digests of the blobs stored at their content address (`aa/bb/<digest>`); the temporary
    /// directory and anything else not so named are left out.
    func storedDigests() -> [String] {
        let manager = FileManager.default
        var digests: [String] = []
        for first in (try? manager.contentsOfDirectory(atPath: root)) ?? [] where Self.isLowerHex(first, count: 2) {
            let level1 = root + "/" + first
            for second in (try? manager.contentsOfDirectory(atPath: level1)) ?? [] where Self.isLowerHex(second, count: 2) {
                let prefix = Array((first + second).utf8)
                for name in (try? manager.contentsOfDirectory(atPath: level1 + "/" + second)) ?? []
                where Self.isLowerHex(name, count: 64) && name.utf8.prefix(4).elementsEqual(prefix) {
                    digests.append(name)
                }
            }
        }
        return digests
    }

    /// Exactly `count` lower-case hexadecimal digits, as `path(of:)` names a blob and its folders.
    private static func isLowerHex(_ name: String, count: Int) -> Bool {
        name.utf8.count == count && name.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// What a blob holds, as read from disk.
struct BlobContent: Equatable {
    var size: Int64
    /// Lower-case hex.
    var sha256: String
}

import Foundation
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
    /// - Returns: whether the blob is new (false: the existing one is reused).
    func place(temporaryPath: String, sha256: String, size: Int64) throws -> Bool {
        let destination = path(of: sha256)
        if FileSystem.regularFileSize(destination) == size {
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
}

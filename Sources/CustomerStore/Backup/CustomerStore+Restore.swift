import Foundation
import SQLiteEngine
#if canImport(Glibc)
import Glibc
#endif

extension CustomerStore {
    /// Restores the backup in folder `backup` (made by ``backup(to:pagesPerStep:)``) as the
    /// database at `path` with its file blobs, while no server runs on it.
    ///
    /// The backup is checked before anything at `path` changes: its manifest, the database's size,
    /// SQLite's `integrity_check`, the counts the manifest records, and every blob's SHA-256. The
    /// database's lock is held throughout, so a running server refuses it (and is refused).
    /// The blobs are put in place first and the database file last (written beside it, synced,
    /// then renamed), so the database never names content that is not there yet.
    ///
    /// - Parameter force: replace data already at `path` (the database, its WAL, and every blob);
    ///   without it, existing data is refused.
    /// - Returns: the backup's manifest.
    /// - Throws: `failedPrecondition` for an incomplete or inconsistent backup (a log or journal beside
    ///   its database included), for existing data, or
    ///   for a backup another user could have written (``BackupFolderSafety``),
    ///   `dataLoss` for damage, `schemaTooNew`, ``StoreOpeningError`` `.inUse` while a server runs,
    ///   `.unsafeFile` for a database directory or file another user could have planted or could swap.
    public static func restore(from backup: String, toDatabase path: String, force: Bool) throws -> BackupManifest {
        try StoreError.mappingEngineErrors { try restoreChecked(from: backup, toDatabase: path, force: force) }
    }

    private static func restoreChecked(from folder: String, toDatabase path: String, force: Bool) throws -> BackupManifest {
        let backup = try BackupFolderSafety.checkedFolder(folder)
        let manifest = try BackupManifest(readingFrom: backup)
        let backupDatabase = backup + "/" + BackupManifest.databaseName
        // A backup's database is written whole, with no journal (`backup(to:)`). SQLite would take a
        // log or journal found beside it as its own: a -wal puts it in WAL mode, replayed into the
        // backup's file and deleted when the check's connection closes; a hot -journal is rolled
        // back into it. Either way the restore would write into the backup it only reads (fuzz28).
        for suffix in ["-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: backupDatabase + suffix) {
            throw StoreError.failedPrecondition(
                "\(backupDatabase + suffix) is beside the backup's database, and no backup has one (was the backup opened "
                    + "and changed since it was made?): SQLite would write it into the backup's database; remove it once you "
                    + "know the database alone is the backup, or restore another backup", field: "from")
        }
        guard FileSystem.regularFileSize(backupDatabase) == manifest.databaseBytes else {
            throw StoreError.failedPrecondition(
                "\(backupDatabase) is missing or not the \(manifest.databaseBytes) bytes its manifest records", field: "from")
        }
        let contents = try checkedContents(of: backupDatabase, against: manifest)
        let source = BlobStore(databasePath: backupDatabase)
        for blob in contents.blobs {
            guard try source.read(sha256: blob.sha256, chunkSize: BlobStore.hashingChunkSize, { _ in })
                == BlobContent(size: blob.size, sha256: blob.sha256) else {
                throw StoreError.dataLoss("the backup's file content \(source.path(of: blob.sha256)) is missing or damaged")
            }
        }

        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        try DatabaseFileOwnership.requireSafe(databasePath: path)
        let lock = try takeLock(of: path)
        defer { lock.release() }
        let live = BlobStore(databasePath: path)
        if hasData(at: path) {
            guard force else {
                throw StoreError.failedPrecondition(
                    "\(path) already holds data; restoring would replace it (add --force to replace it)",
                    field: "force")
            }
            // A WAL left beside the new file would be replayed into it (it is not tied to one file).
            for file in [path + "-wal", path + "-shm"] { try FileSystem.removeFile(file) }
            if FileManager.default.fileExists(atPath: live.root) { try FileManager.default.removeItem(atPath: live.root) }
        }
        for blob in contents.blobs {
            _ = try live.copy(sha256: blob.sha256, size: blob.size, from: source)
        }
        try? FileManager.default.removeItem(atPath: live.temporaryDirectory)
        let incoming = path + ".restoring"
        try FileSystem.removeFile(incoming)
        try copyFile(from: backupDatabase, to: incoming)
        // The record describes the log of the database replaced here.
        LogLengthRecord.remove(databasePath: path)
        try FileSystem.call("rename", path) { rename(incoming, path) }
        try FileSystem.syncDirectory((path as NSString).deletingLastPathComponent)
        // What the marker warned about is replaced; removed last, so a restore cut short keeps it.
        try CutShortMarker.remove(databasePath: path)
        return manifest
    }

    /// Whether anything a server would serve is at `path`: a non-empty database or WAL, or blobs.
    private static func hasData(at path: String) -> Bool {
        if (FileSystem.regularFileSize(path) ?? 0) > 0 || (FileSystem.regularFileSize(path + "-wal") ?? 0) > 0 {
            return true
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path + ".files")) ?? []
        return entries.contains { $0 != "tmp" }
    }

    /// Opens the backup's database, checks it, and compares it with its manifest.
    private static func checkedContents(of database: String, against manifest: BackupManifest) throws -> BackupInspection {
        let connection = try SQLiteConnection(path: database, role: .writer, options: StoreOptions())
        defer { connection.close() }
        try Migrations.migrator.checkNotTooNew(connection)
        let contents = try BackupInspection(checking: connection)
        guard contents.customers == manifest.customers, Int64(contents.blobs.count) == manifest.files,
              contents.schemaVersion == manifest.schemaVersion else {
            throw StoreError.failedPrecondition(
                "\(database) does not match its manifest (\(contents.customers) customers and \(contents.blobs.count) "
                    + "files, the manifest says \(manifest.customers) and \(manifest.files))", field: "from")
        }
        return contents
    }

    /// Copies a file to a new owner-only file and fsyncs it.
    private static func copyFile(from source: String, to destination: String) throws {
        let input = try FileSystem.call("open", source) { open(source, O_RDONLY | O_CLOEXEC) }
        defer { Glibc.close(input) }
        let output = try FileSystem.call("open", destination) {
            open(destination, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        }
        defer { Glibc.close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = try buffer.withUnsafeMutableBytes { bytes in
                try FileSystem.call("read", source) { Glibc.read(input, bytes.baseAddress, bytes.count) }
            }
            if count == 0 { break }
            try buffer.withUnsafeBytes { bytes in
                try FileSystem.writeAll(output, UnsafeRawBufferPointer(rebasing: bytes[..<count]), path: destination)
            }
        }
        try FileSystem.call("fsync", destination) { fsync(output) }
    }
}

import Foundation
import SQLiteEngine
#if canImport(Glibc)
import Glibc
#endif

/// A file beside the database saying its write-ahead log was cut short: found by a read while a
/// server ran, or at a start by the log's length record (`LogLengthRecord`).
///
/// Why: a server that meets the cut (SQLite's short read, `DatabaseFileWatch`) refuses every call
/// from then on, but a restart would open what is left as if nothing happened: SQLite takes the cut
/// log for an empty one and the writes it held are gone without a word (hardening20). So the store
/// that notices writes this marker, fsynced with its directory entry, and no store opens the
/// database while it is there (``requireAbsent(databasePath:)``); restoring a backup removes it.
enum CutShortMarker {
    /// The marker's path for the database at `databasePath`.
    static func path(forDatabase databasePath: String) -> String { databasePath + ".wal-cut-short" }

    /// Leaves the marker: when the cut was noticed, by which process, SQLite's error, and what the
    /// operator may do. Durable before it returns (the server may be killed at any moment after).
    static func write(databasePath: String, logPath: String, cause: SQLiteError) throws {
        try write(databasePath: databasePath, what: "the write-ahead log \(logPath) was cut short while the server ran "
                  + "(SQLite error \(cause.code): \(cause.message))")
    }

    /// The same, `what` saying what was found (a start finding the log shorter than its last commit
    /// left it: `LogLengthRecord`).
    static func write(databasePath: String, what: String) throws {
        let path = path(forDatabase: databasePath)
        let noticed = ISO8601DateFormatter().string(from: Date())
        let text = """
            noticed \(noticed) by customerd pid \(getpid()): \(what).
            The writes it held are lost, and what is left of \(databasePath) cannot be trusted.
            \(remedy(databasePath: databasePath))

            """
        let descriptor = try FileSystem.call("open", path) {
            open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        }
        defer { close(descriptor) }
        try Array(text.utf8).withUnsafeBytes { try FileSystem.writeAll(descriptor, $0, path: path) }
        try FileSystem.call("fsync", path) { fsync(descriptor) }
        try FileSystem.syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// - Throws: ``StoreOpeningError`` `.cutShort` quoting the marker's first line, while there is one.
    static func requireAbsent(databasePath: String) throws {
        let path = path(forDatabase: databasePath)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            guard access(path, F_OK) == 0 else { return }
            throw StoreOpeningError(path: databasePath, reason: .cutShort(marker: path, noticed: "(the marker cannot be read)"))
        }
        defer { try? handle.close() }
        // Its first line says when; a marker replaced by something large is not read whole.
        let head = (try? handle.read(upToCount: 1_024)) ?? Data()
        // Split at the byte: as Characters, a CRLF is one grapheme that is not "\n", and a marker
        // edited with CRLF line ends was quoted whole (fuzz29).
        let firstLine = String(decoding: head.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        throw StoreOpeningError(path: databasePath, reason: .cutShort(marker: path, noticed: firstLine))
    }

    /// Removes the marker, durably (a restore replaced what it warned about).
    static func remove(databasePath: String) throws {
        let path = path(forDatabase: databasePath)
        guard access(path, F_OK) == 0 else { return }
        try FileSystem.removeFile(path)
        try FileSystem.syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// What the operator may do, in the marker and in the refusal at start.
    static func remedy(databasePath: String) -> String {
        "Restore the last backup (customerd --database \(databasePath) --restore BACKUP --force), or, after checking "
            + "the database yourself, remove the marker (rm \(path(forDatabase: databasePath))) and start the server again"
    }
}

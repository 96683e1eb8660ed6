import Glibc
import SQLiteEngine
import Synchronization
import ThreadSync

/// Whether the database file and its write-ahead log are still, at their paths, the files the
/// store opened.
///
/// Why: removed or replaced while the server runs (an `rm`, a clean-up script, a copy put in its
/// place), SQLite goes on writing to the files it holds open, which nothing will open again: the
/// writes acknowledged afterwards, and once the server stops the whole database, are gone, and the
/// next start creates an empty database in their place without a word (found by redteam17: two
/// creates acknowledged after `rm customers.sqlite customers.sqlite-wal`, none there after a
/// restart). Once noticed, every write is refused `UNAVAILABLE`; reads and `Backup`, which copies
/// from the files held open, go on, so the data can still be saved.
///
/// The paths are looked at (stat(2)) once per group commit, just before its COMMIT
/// (``requireFilesInPlaceNow()``, the writer's `beforeCommit`): a group that finds them gone is
/// rolled back and its callers refused, so no write is acknowledged into a removed file but one
/// whose COMMIT was under way while the file was removed (redteam18; before, the writes looked at
/// most every 100 ms, and a write acknowledged within that long after the removal was lost). Two
/// stat(2) calls a group, not per write: at 64 callers creating, a group holds tens of them.
/// Writes also look before they queue, at most every ``intervalNanoseconds``, to be refused
/// without waiting for the writer; and the server looks every second to tell the operator.
///
/// The write-ahead log cut short in place (`truncate -s 0 customers.sqlite-wal` by another process
/// of the server's user or root) keeps its inode, so no look finds it; SQLite finds it when it
/// reads a page the log held (`SQLITE_IOERR_SHORT_READ`). The store hands each failure here
/// (``noticing(_:)``): from the first short read on, every call, reads too, is refused `DATA_LOSS`
/// (`StoreError.cutShort`)
/// and the server's look reports it like a removal (redteam19; before, every call was `INTERNAL`
/// "the store failed" while health stayed SERVING, and nothing told the operator the writes the
/// log held were gone). Reads are refused too: what is left mixes the database file's old pages
/// with the log's newer ones still readable, so no answer can be trusted. The first short read
/// also leaves a ``CutShortMarker`` that stops the next start (hardening20; before, a restart
/// served what was left as if nothing had been lost).
///
/// A write can meet the cut before any read does (the pages it reads in the writer's cache): it
/// would append to the cut log while the in-memory WAL index still points at frames that are now
/// zeros, which a checkpoint may copy into the database file. So just before each COMMIT the
/// writer also compares the log's size (from the same stat(2)) with what its last commit left in
/// it (``requireFilesWholeBeforeCommit()``): shorter is a cut, refused and remembered as a short
/// read is (walcut27; before, such a create was acknowledged into the cut log).
final class DatabaseFileWatch: Sendable {
    /// How often a write looks at the paths again.
    static let intervalNanoseconds: UInt64 = 100_000_000

    private struct Identity: Equatable {
        let device: UInt64
        let inode: UInt64
    }

    /// A file's identity and its size in bytes.
    private struct Status {
        let identity: Identity
        let size: Int64
    }

    private let files: [(path: String, identity: Identity)]
    private let lastLook = Atomic<UInt64>(0)
    /// The index in `files` of the first file found removed or replaced; -1 while none is.
    private let lost = Atomic<Int>(-1)
    /// The store closed its connections (and SQLite removed the WAL): nothing more to look at.
    private let stopped = Atomic<Bool>(false)
    /// A read found a database file shorter than SQLite wrote it (``noticing(_:)``), and the
    /// ``CutShortMarker`` was written (or its failure kept in `markerFailure`) before this was set.
    private let cutShort = Atomic<Bool>(false)
    /// Held while the marker is written, so a call that meets the cut too waits for the marker
    /// instead of being answered before it is on disk.
    private let noticingCut = Mutex<Void>(())
    private let databasePath: String
    private let logPath: String
    /// Why the ``CutShortMarker`` could not be left, said in every refusal from then on: the next
    /// start will not stop on it.
    private let markerFailure = Mutex<String?>(nil)
    /// How long the log is at least by the writer's last commit (`Checkpointer.logBytesCommitted`).
    private let logBytesCommitted: @Sendable () -> Int64

    /// Watches the database file at `databasePath` and its write-ahead log, those that exist now;
    /// `logBytesCommitted` tells, on the writer's thread, how long its commits left the log.
    init(databasePath: String, logBytesCommitted: @escaping @Sendable () -> Int64) {
        self.databasePath = databasePath
        logPath = databasePath + "-wal"
        self.logBytesCommitted = logBytesCommitted
        files = [databasePath, logPath].compactMap { path in Self.status(of: path).map { (path, $0.identity) } }
    }

    /// - Throws: `StoreError.unavailable` naming the file once one was found removed or replaced,
    ///   `StoreError.cutShort` once one was found cut short (``noticing(_:)``). Looks at the paths
    ///   at most every ``intervalNanoseconds``.
    func requireFilesInPlace() throws {
        guard !stopped.load(ordering: .relaxed) else { return }
        let now = Self.now()
        let last = lastLook.load(ordering: .relaxed)
        if now &- last >= Self.intervalNanoseconds,
           lastLook.compareExchange(expected: last, desired: now, ordering: .relaxed).exchanged {
            look()
        }
        try throwIfLost()
    }

    /// ``requireFilesInPlace()``, looking at the paths now whenever it was looked at last.
    func requireFilesInPlaceNow() throws {
        guard !stopped.load(ordering: .relaxed) else { return }
        look()
        try throwIfLost()
    }

    /// ``requireFilesInPlaceNow()``, and the log not shorter than the writer's commits left it,
    /// with no more system calls. Only on the writer's thread, just before a COMMIT (the writer's
    /// `beforeCommit`, `withWriter`'s `admit`): there no commit of the server's own is growing the
    /// log and no truncating checkpoint is shrinking it; a look from elsewhere could see either
    /// half done and take it for a cut.
    /// - Throws: as ``requireFilesInPlaceNow()``; `StoreError.cutShort` when the log is shorter,
    ///   leaving the marker and refusing every call from then on as a short read does.
    func requireFilesWholeBeforeCommit() throws {
        guard !stopped.load(ordering: .relaxed) else { return }
        if let size = look(), case let committed = logBytesCommitted(), size < committed {
            throw noticing(StoreError.sqlite(SQLiteError(
                code: StoreError.ioErrorShortRead,
                message: "the log is \(size) bytes, shorter than the \(committed) bytes the server's last commit left in it",
                context: "looking at \(logPath) before a COMMIT")))
        }
        try throwIfLost()
    }

    /// Looks at the paths; a file removed or replaced is remembered in `lost`.
    /// - Returns: the log's size, when it is still the file the store opened.
    @discardableResult
    private func look() -> Int64? {
        var logSize: Int64?
        for (index, file) in files.enumerated() {
            guard let status = Self.status(of: file.path), status.identity == file.identity else {
                _ = lost.compareExchange(expected: -1, desired: index, ordering: .relaxed)
                return nil
            }
            if file.path == logPath { logSize = status.size }
        }
        return logSize
    }

    /// - Throws: `StoreError.cutShort` once a read found a database file cut short; nothing else
    ///   (reads go on while the files are merely removed: a backup can still save them).
    func requireNotCutShort() throws {
        if cutShort.load(ordering: .acquiring) { throw StoreError.cutShort(cutShortMessage, cause: nil) }
    }

    /// `error` (a store error, already converted) as the store throws it: SQLite's short read
    /// becomes `StoreError.cutShort` with it as the cause, and is remembered, so every call from
    /// then on is refused and the server's look reports it; any other error is returned as it is.
    func noticing(_ error: any Error) -> any Error {
        guard case .sqlite(let cause) = error as? StoreError, cause.code == StoreError.ioErrorShortRead else { return error }
        // The flag every call looks at is set only once the marker is on disk: set first, a call
        // on another thread was answered DATA_LOSS while the marker was still being written, and a
        // kill then would have left a next start that serves what is left (seen once: the search
        // indexer met the cut and a get was answered before the marker existed).
        noticingCut.withLock { _ in
            guard !cutShort.load(ordering: .relaxed) else { return }
            do {
                try CutShortMarker.write(databasePath: databasePath, logPath: logPath, cause: cause)
            } catch {
                markerFailure.withLock { $0 = "\(error)" }
            }
            cutShort.store(true, ordering: .releasing)
        }
        return StoreError.cutShort(cutShortMessage, cause: cause)
    }

    private var cutShortMessage: String {
        let marker = markerFailure.withLock { $0 }.map { failure in
            " (the marker that would stop the next start could not be written: \(failure))"
        } ?? ""
        return "the database's write-ahead log \(logPath) was cut short while the server ran (truncated by another "
            + "process, say): the writes it held are lost, and what is left cannot be trusted, so nothing is read or "
            + "written any more. Stop the server and restore the last backup (customerd --restore)" + marker
    }

    private func throwIfLost() throws {
        try requireNotCutShort()
        let index = lost.load(ordering: .relaxed)
        guard index >= 0 else { return }
        throw StoreError.unavailable(
            "the database file \(files[index].path) was removed or replaced while the server ran, so a write now would be "
            + "lost when it stops: nothing is written any more. Back the database up now (customerctl admin backup), stop the "
            + "server and restore the backup")
    }

    /// Stops looking, before the store closes its connections.
    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private static func status(of path: String) -> Status? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Status(identity: Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino)),
                      size: Int64(status.st_size))
    }

    private static func now() -> UInt64 {
        MonotonicClock.nanoseconds()
    }
}

import CSQLite
import Dispatch
import Foundation
import Synchronization

/// Copies most of the write-ahead log back into the database file beside the writer, so that the
/// checkpoint left to the writer is short.
///
/// Why: SQLite's automatic checkpoint runs inside the COMMIT of whichever write pushes the WAL past
/// 1 000 pages: it copies all of them and syncs the database file, so about one write in a hundred
/// waited several milliseconds (`customer-bench run update`, 1 caller: p99 10.5 ms against a p50 of
/// 0.4 ms). A checkpoint beside the writer alone does not do: while writes continue it never finds
/// the log fully copied when the next write begins, so SQLite never restarts the log, which then
/// grows without bound (tried: 121 MB after 3 s of creates). So the work is split:
/// - every ``backgroundStep`` pages of new log, a PASSIVE checkpoint on a connection and queue of
///   its own copies what is there (no write lock, no waiting for readers);
/// - at ``writerThreshold`` pages the writer itself, right after its commit as SQLite's own
///   automatic checkpoint would, copies the little that is left, so the next write restarts the log.
///
/// `customer-bench run update create --customers 20000 --no-floor`, 1 caller, alternating binaries
/// in one session: p99 update 9.8 / 11.2 / 13.2 ms -> 5.7 / 6.8 ms, create 4.7 / 5.4 / 6.5 ms ->
/// 2.2 / 2.5 ms; p50 and p90 within the run-to-run noise; the log stays near 1 000 pages.
/// (A step of 250 pages measured the same p99 with more checkpoints.)
///
/// A commit that leaves ``bulkThreshold`` pages or more in the log (a bulk import: its one
/// transaction writes the whole new database into the log) is not made to copy them: that copy
/// and its syncs took the last ~5 s of a 1 000 000-row import (`strace`: ~700 MB read back from
/// the log and written to the database file between the COMMIT and the answer). It is queued to
/// the checkpoint connection beside the writer instead, and the writer's own copies wait until it
/// is done (a copy on the writer would wait for its lock), so neither that commit nor the writes
/// after it wait for it. Without readers of older snapshots it copies the whole log, so the next
/// write restarts the log; what commits added meanwhile the first commit after it has copied
/// (beside the writer again while the log is still that long).
///
/// After a commit that erased personal data the writer copies the whole log and truncates it
/// (``truncateLogAfterCommit()``): until then the erased values are still in older log frames.
///
/// It also keeps the bytes the writer's last commit left in the log (``logBytesCommitted``), for
/// the check before each COMMIT that the log was not cut meanwhile (the store's `DatabaseFileWatch`).
public final class Checkpointer: Sendable {
    /// New log pages between two checkpoints beside the writer.
    public static let backgroundStep: Int32 = 450
    /// The log size at which the writer finishes the copy itself: SQLite's own automatic threshold.
    public static let writerThreshold: Int32 = 1_000
    /// The log size from which a commit leaves the whole copy beside the writer: ~40 MB, ten
    /// times what ordinary writes let the log reach, so only a bulk write's commit gets there.
    public static let bulkThreshold: Int32 = 10_000

    private let path: String
    private let lengthRecord: LogLengthRecord?
    private let busyTimeoutMilliseconds: Int
    private let synchronous: SynchronousLevel
    private let queue = DispatchQueue(label: "customercard.sqlite.checkpoint")
    /// The log size when the last checkpoint beside the writer was queued (0 after a restart).
    /// Written by the writer's commit hook only.
    private let pagesAtLastQueued = Atomic<Int32>(0)
    /// True from the moment a checkpoint is queued until it starts, so commits queue at most one.
    private let isQueued = Atomic<Bool>(false)
    /// Set by a write that erases personal data; the writer's next commit truncates the log. A
    /// write that sets it and is then rolled back costs one needless checkpoint, nothing more.
    private let isTruncationDue = Atomic<Bool>(false)
    /// True from the moment a bulk commit's copy is queued until it has ended.
    private let isBulkCopyRunning = Atomic<Bool>(false)
    /// Bytes of one log frame (a 24-byte header and a page); 0 while the page size is unknown.
    private let frameBytes = Atomic<Int64>(0)
    /// See ``logBytesCommitted``. Written by the writer's commit hook only.
    private let logBytes = Atomic<Int64>(0)
    /// The connection is used only on `queue`; the counters are read from anywhere.
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var connection: SQLiteConnection?
        var isClosed = false
        var statistics = Statistics()
    }

    /// Checkpoints done, for tests and diagnostics.
    public struct Statistics: Sendable {
        /// By the checkpoint connection beside the writer.
        public var background = 0
        /// By the writer after its commit.
        public var byWriter = 0
        /// Of `background`, those that copied a bulk commit's log (``bulkThreshold``).
        public var bulk = 0
        /// Truncating checkpoints after an erasure.
        public var truncations = 0
        /// The last failure of either (SQLITE_BUSY is not one: the next commit tries again).
        public var lastError: SQLiteError?
        /// When the last checkpoint of either finished; nil before the first.
        public var lastCheckpointAt: Date?
    }

    /// - Parameters:
    ///   - path: the database whose writer ``watch(_:)`` is given.
    ///   - busyTimeoutMilliseconds: for the checkpoint connection, as for the writer.
    ///   - synchronous: the writer's level: the checkpoint syncs as it does (PRAGMA synchronous is per connection).
    /// - Parameter lengthRecord: told each commit's log length, and emptied before the log is
    ///   truncated and when recording stops (see ``LogLengthRecord``).
    public init(path: String, busyTimeoutMilliseconds: Int, synchronous: SynchronousLevel, lengthRecord: LogLengthRecord? = nil) {
        self.lengthRecord = lengthRecord
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.synchronous = synchronous
    }

    /// Makes `writer` report its log size here after each commit, instead of checkpointing by
    /// itself (registering a WAL hook turns SQLite's automatic checkpoint off for that connection).
    public func watch(_ writer: SQLiteConnection) {
        if let pageSize = (try? writer.pragma("page_size")).flatMap({ $0.flatMap { Int64($0) } }) {
            frameBytes.store(pageSize > 0 ? 24 + pageSize : 0, ordering: .relaxed)
            lengthRecord?.use(pageSize: pageSize)
        }
        writer.setWALHook(context: Unmanaged.passUnretained(self).toOpaque()) { context, database, _, pages in
            guard let context, let database else { return SQLITE_OK }
            Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().committed(logPages: pages, on: database)
            return SQLITE_OK
        }
    }

    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// How long the write-ahead log is at least, by the writer's last commit: its header and the
    /// frames that commit left (SQLite writes them in place and never shrinks the file but by a
    /// truncating checkpoint, after which this is 0 until the next commit; a restarted log reuses
    /// the file from its start, so the file stays at least this long). 0 before the first commit.
    /// Read on the writer's thread, between its commits: elsewhere a commit may be half done.
    public var logBytesCommitted: Int64 { logBytes.load(ordering: .relaxed) }

    /// Makes the writer, right after the commit of the transaction that calls this, copy the whole
    /// log into the database file and truncate the log to zero bytes, before that write is
    /// answered: freed bytes are zeroed in the new page images (`secure_delete`), but the old
    /// images stay in earlier log frames until then.
    ///
    /// Cost: that commit's caller (and the writes queued behind it) also wait for the copy of up
    /// to ``writerThreshold`` pages, a sync of the database file, and readers of older snapshots
    /// to finish (up to the busy timeout), and for a bulk commit's copy still running beside the
    /// writer (``bulkThreshold``). Erasures are rare; the copy is one the background
    /// checkpoint would have made anyway.
    public func truncateLogAfterCommit() {
        isTruncationDue.store(true, ordering: .relaxed)
    }

    /// Empties the log's length record for good, before the connections close (SQLite deletes the
    /// log with the last one).
    public func stopRecordingLogLength() {
        lengthRecord?.lower()
    }

    /// Closes the checkpoint connection once a running checkpoint is done; later ones are skipped.
    public func close() {
        queue.sync {
            let connection = state.withLock { state in
                state.isClosed = true
                defer { state.connection = nil }
                return state.connection
            }
            connection?.close()
        }
    }

    // MARK: After each commit, on the writer's thread

    /// `database` is the writer's handle, on the thread that just committed on it (SQLite's hook
    /// contract: the write lock is released, the connection may checkpoint).
    private func committed(logPages pages: Int32, on database: OpaquePointer) {
        if isTruncationDue.exchange(false, ordering: .relaxed) {
            // Emptied first: a crash between the two must not leave a record longer than the log.
            lengthRecord?.emptyBeforeTruncation()
            logBytes.store(0, ordering: .relaxed)
            truncate(on: database)
            return
        }
        logBytes.store(LogLengthRecord.logBytes(pages: pages, frameBytes: frameBytes.load(ordering: .relaxed)),
                       ordering: .relaxed)
        lengthRecord?.committed(pages: pages)
        var queuedAt = pagesAtLastQueued.load(ordering: .relaxed)
        if pages < queuedAt {
            queuedAt = 0   // the log restarted
            pagesAtLastQueued.store(0, ordering: .relaxed)
        }
        // The copy beside the writer is taking the log; the first commit after it has the rest copied.
        if isBulkCopyRunning.load(ordering: .acquiring) { return }
        if pages >= Self.bulkThreshold {
            isBulkCopyRunning.store(true, ordering: .releasing)
            pagesAtLastQueued.store(pages, ordering: .relaxed)
            queue.async { [self] in
                checkpointBeside(bulk: true)
                isBulkCopyRunning.store(false, ordering: .releasing)
            }
            return
        }
        if pages >= Self.writerThreshold {
            // Under the same lock as the checkpoint beside the writer: a background checkpoint that
            // is still running (its thread descheduled on a busy machine) holds SQLite's checkpoint
            // lock, and a PASSIVE checkpoint here would then fail as busy at every commit while the
            // log grows (seen: 47 MB with both cores loaded). Waiting for it is at most the copy
            // SQLite's own automatic checkpoint would have made this commit do.
            let failure: (any Error)? = state.withLock { state in
                guard !state.isClosed else { return nil }
                do {
                    if try SQLiteConnection.checkpointPassive(database, path: path) {
                        state.statistics.byWriter += 1
                        state.statistics.lastCheckpointAt = Date()
                    }
                    lengthRecord?.touch()
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { record(failure) }
            return
        }
        guard pages - queuedAt >= Self.backgroundStep,
              isQueued.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        pagesAtLastQueued.store(pages, ordering: .relaxed)
        queue.async { [self] in checkpointBeside() }
    }

    /// Under the checkpoint lock for the same reason as the writer's copy above. When readers held
    /// it past the busy timeout the next commit tries again, and the failure is recorded.
    private func truncate(on database: OpaquePointer) {
        let failure: (any Error)? = state.withLock { state in
            guard !state.isClosed else { return nil }
            do {
                if try SQLiteConnection.checkpointTruncate(database, path: path) {
                    state.statistics.truncations += 1
                    pagesAtLastQueued.store(0, ordering: .relaxed)
                    return nil
                }
                isTruncationDue.store(true, ordering: .relaxed)
                return SQLiteError(code: SQLITE_BUSY, message: "readers held the log past the busy timeout",
                                   context: "truncating checkpoint after an erasure")
            } catch {
                isTruncationDue.store(true, ordering: .relaxed)
                return error
            }
        }
        if let failure { record(failure) }
    }

    // MARK: Beside the writer, on `queue`

    private func checkpointBeside(bulk: Bool = false) {
        if !bulk { isQueued.store(false, ordering: .relaxed) }
        let failure: (any Error)? = state.withLock { state in
            guard !state.isClosed else { return nil }
            do {
                if state.connection == nil {
                    let connection = try SQLiteConnection(path: path, role: .writer,
                                                          busyTimeoutMilliseconds: busyTimeoutMilliseconds)
                    // The checkpoint syncs as the writer's level asks (PRAGMA synchronous is per connection).
                    try connection.execute("PRAGMA synchronous = \(synchronous.rawValue)")
                    state.connection = connection
                }
                if try state.connection?.checkpointPassive() == true {
                    state.statistics.background += 1
                    if bulk { state.statistics.bulk += 1 }
                    state.statistics.lastCheckpointAt = Date()
                }
                // Also after a partial copy: the pages it wrote changed the database file's time.
                lengthRecord?.touch()
                return nil
            } catch {
                return error
            }
        }
        if let failure { record(failure) }
    }

    private func record(_ error: any Error) {
        state.withLock { state in
            state.statistics.lastError = error as? SQLiteError
                ?? SQLiteError(code: SQLITE_ERROR, message: "\(error)", context: "checkpoint of \(path)")
        }
    }
}

import CSQLite
import Dispatch
import Synchronization

/// Copies the write-ahead log back into the database file on a connection and thread of its own,
/// so that no write waits for it.
///
/// Why: SQLite's automatic checkpoint runs inside the COMMIT of whichever write pushes the WAL past
/// 1 000 pages, and at `synchronous=NORMAL` a checkpoint syncs the database file, so roughly one
/// write in a hundred waited for many page copies and an fsync. `customer-bench run update`,
/// 1 caller: p99 10.3 ms against a p50 of 0.35 ms before (README, "Performance"). Here the writer
/// only notices the WAL's size (its commit hook) and the copying happens beside it: in WAL mode a
/// PASSIVE checkpoint takes neither the write lock nor waits for readers, and the next write
/// restarts the log once it has been copied completely.
final class Checkpointer: Sendable {
    /// The WAL size that starts a checkpoint: SQLite's own automatic threshold.
    static let pagesBeforeCheckpoint: Int32 = 1_000

    private let path: String
    private let options: StoreOptions
    private let queue = DispatchQueue(label: "customercard.store.checkpoint")
    /// True from the moment a checkpoint is queued until it starts, so commits queue at most one.
    private let isQueued = Atomic<Bool>(false)
    /// The connection is used only on `queue`; the counters are read from anywhere.
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var connection: SQLiteConnection?
        var isClosed = false
        var checkpoints = 0
        var lastError: StoreError?
    }

    init(path: String, options: StoreOptions) {
        self.path = path
        self.options = options
    }

    /// Makes `writer` report its WAL size here after each commit instead of checkpointing itself
    /// (registering a WAL hook turns SQLite's automatic checkpoint off for that connection).
    func watch(_ writer: SQLiteConnection) {
        writer.setWALHook(context: Unmanaged.passUnretained(self).toOpaque()) { context, _, _, pages in
            guard let context else { return SQLITE_OK }
            Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().walHasPages(pages)
            return SQLITE_OK
        }
    }

    /// Completed checkpoints, and the error of the last one that failed (for tests and diagnostics).
    var statistics: (checkpoints: Int, lastError: StoreError?) {
        state.withLock { ($0.checkpoints, $0.lastError) }
    }

    /// Closes the checkpoint connection once a running checkpoint is done; later ones are skipped.
    func close() {
        queue.sync {
            let connection = state.withLock { state in
                state.isClosed = true
                defer { state.connection = nil }
                return state.connection
            }
            connection?.close()
        }
    }

    private func walHasPages(_ pages: Int32) {
        guard pages >= Self.pagesBeforeCheckpoint,
              isQueued.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        queue.async { [self] in checkpoint() }
    }

    private func checkpoint() {
        isQueued.store(false, ordering: .relaxed)
        state.withLock { state in
            guard !state.isClosed else { return }
            do {
                if state.connection == nil {
                    let connection = try SQLiteConnection(path: path, role: .writer, options: options)
                    // The checkpoint syncs as the writer's level asks (PRAGMA synchronous is per connection).
                    try connection.execute("PRAGMA synchronous = \(options.synchronous.rawValue)")
                    state.connection = connection
                }
                if try state.connection?.checkpointPassive() == true { state.checkpoints += 1 }
            } catch {
                // Tried again after the next commit; the WAL keeps every committed write meanwhile.
                state.lastError = error as? StoreError ?? .sqlite(code: SQLITE_ERROR, message: "\(error)", context: "checkpoint")
            }
        }
    }
}

import Foundation
import SQLiteEngine
import ThreadSync

/// Brings the search index up to date behind the writer (`SearchIndex.catchUp`), on a thread of
/// its own, only in the writer's idle time: a batch starts only when no write leads or waits
/// (`GroupCommitWriter.withConnectionIfIdle`), so a create never shares a transaction with it
/// and waits behind at most one batch. The purge an erasure owes (`SearchIndex.purgeStep`) runs
/// in the same turns, one bounded step a turn, before any batch: the index waits meanwhile (the
/// searches read what it has not followed).
///
/// After a commit wakes it, it pauses ``pause`` before it indexes: the rows of that time are
/// indexed in one transaction (FTS5 writes a segment a transaction, and a segment a create made
/// search26's index cost each create more than the create), and a busy writer wakes it at most
/// once a pause (it waits on the store's `CommitSignal` only while caught up; a commit with no
/// waiter costs nothing more). Meanwhile searches read the rows the index has not followed.
final class SearchIndexer: Sendable {
    /// How long it waits after a commit before indexing, and before trying again while the writer is busy.
    static let pause: Duration = .milliseconds(20)

    private let stopped = ConditionalState(false)
    private let commits: CommitSignal

    /// Starts the thread; it runs until ``stop()`` or the writer closes.
    /// - Parameter fileWatch: asked just before each of its COMMITs, as every write of the store
    ///   is (a batch must not append to a log cut short), and told of its failures.
    init(writer: GroupCommitWriter, commits: CommitSignal, fileWatch: DatabaseFileWatch) {
        self.commits = commits
        let thread = Thread { [stopped] in
            Self.run(writer: writer, commits: commits, fileWatch: fileWatch, stopped: stopped)
        }
        thread.name = "search-index"
        thread.start()
    }

    func stop() {
        stopped.withCondition { held in
            held.state = true
            held.broadcast()
        }
        commits.wakeAll()
    }

    private static func run(writer: GroupCommitWriter, commits: CommitSignal, fileWatch: DatabaseFileWatch,
                            stopped: ConditionalState<Bool>) {
        while !stopped.withLock({ $0 }) {
            let seen = commits.count
            let outcome: Bool?
            do {
                // A purge owed goes first, a step a turn: a batch would add a segment, and FTS5
                // starts the merge of every segment again when one is added. A write waits behind
                // one step, or one step finding nothing left and one batch.
                try fileWatch.requireFilesInPlace()
                let check = { try fileWatch.requireFilesWholeBeforeCommit() }
                outcome = try writer.withConnectionIfIdle {
                    try SearchIndex.purgeStep($0, beforeCommit: check) || SearchIndex.catchUp($0, beforeCommit: check)
                }
            } catch {
                // Closed, or the batch failed and was rolled back (the mark with it): searches stay
                // right, reading what the index has not followed; the next commit tries again.
                if error is ConnectionClosedError { return }
                // A short read is remembered (the marker, every call refused) as any write's is.
                _ = fileWatch.noticing(StoreError.converting(error))
                outcome = false
            }
            switch outcome {
            case true?: continue
            case false?: commits.wait(after: seen) { stopped.withLock { $0 } }
            case nil: break  // The writer is busy: try again after the pause.
            }
            _ = stopped.withCondition { held in
                held.wait(until: { $0 }, deadline: .now + pause)
            }
        }
    }
}

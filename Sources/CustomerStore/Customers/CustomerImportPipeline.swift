import Foundation
import ThreadSync

/// An import's rows made ready beside its writer: a producer thread of its own takes each batch
/// from the caller's `rows` (in the server: the spool read back, decoded, converted, hashed) and
/// does for every row what needs no database (`CustomerImporter.prepare`), while the writer
/// checks, binds and steps the batches before it (issue 17: the write phase ran on one thread,
/// the other core idle, once the client had sent everything).
///
/// At most `capacity` batches wait between the two, so memory stays bounded however far the
/// producer gets ahead. A failure on either side ends both: what the producer throws is thrown by
/// the writer's next `next()` (before any batch still queued), and `close()` stops the producer at
/// its next batch and waits for its thread to end, so no thread outlives the import and the
/// caller's `rows` is never called again once `close()` has returned.
final class CustomerImportPipeline: Sendable {
    /// Batches prepared and not yet taken; a few, each one message of the import (the bench sends
    /// 1 000 rows a message).
    static let capacity = 4

    private struct State: Sendable {
        var batches: [[PreparedImportRow]] = []
        /// The producer has handed over its last batch (or failed, or was stopped) and is done
        /// with `rows`; its thread is about to end.
        var ended = false
        var failure: (any Error)?
        /// The writer takes nothing more: the producer stops at its next batch.
        var closed = false
    }

    private let state = ConditionalState(State())

    /// Starts the producer on a thread of its own, calling `rows` there until it returns nil or throws.
    init(store: CustomerStore, rows: @escaping () throws -> [CustomerImportRow]?) {
        let source = RowSource(rows)
        let thread = Thread { [state] in
            Self.produce(source, store: store, into: state)
        }
        // The rows' checks and decoding need little stack; the default 8 MiB is only reserved address space anyway.
        thread.stackSize = 1 << 20
        thread.name = "customer-import"
        thread.start()
    }

    private static func produce(_ source: RowSource, store: CustomerStore, into state: ConditionalState<State>) {
        var failure: (any Error)?
        do {
            while let rows = source.rows, let batch = try rows() {
                let prepared = batch.map { CustomerImporter.prepare($0, store: store) }
                let taken = state.withCondition { held -> Bool in
                    held.wait(until: { $0.closed || $0.batches.count < capacity })
                    guard !held.state.closed else { return false }
                    held.state.batches.append(prepared)
                    return true
                }
                guard taken else { break }
                state.broadcast()
            }
        } catch {
            failure = error
        }
        // Let go of the caller's closure (and what it holds: the spool's file) before the caller
        // learns the rows have ended and may go on, not whenever this thread's last references go.
        source.rows = nil
        state.withLock {
            $0.failure = failure
            $0.ended = true
        }
        state.broadcast()
    }

    /// The next batch in order; nil after the last. - Throws: what the producer (the caller's
    /// `rows`) threw, as soon as it threw.
    func next() throws -> [PreparedImportRow]? {
        let batch = try state.withCondition { held -> [PreparedImportRow]? in
            held.wait(until: { !$0.batches.isEmpty || $0.ended })
            if let failure = held.state.failure { throw failure }
            guard !held.state.batches.isEmpty else { return nil }
            return held.state.batches.removeFirst()
        }
        state.broadcast()
        return batch
    }

    /// Stops the producer and waits until its thread is done with the caller's `rows`; call once,
    /// however the import ends. The wait is at most the producer's current batch: it reads the
    /// spool, never a client.
    func close() {
        state.withLock { $0.closed = true }
        state.broadcast()
        state.withCondition { held in
            _ = held.wait(until: { $0.ended })
        }
    }
}

/// The caller's `rows` carried to the producer thread.
///
/// Safety of `@unchecked Sendable`: the closure and what it captures (the server's spool, its
/// decoder and fingerprint) are used by one thread only, the producer: the caller hands it over
/// and touches none of it until the producer is done with it, which the caller learns under the
/// pipeline's lock (`next()` returning nil or throwing what `rows` threw, `close()` returning), so
/// the producer's writes (the fingerprint) are visible to the caller after it.
private final class RowSource: @unchecked Sendable {
    var rows: (() throws -> [CustomerImportRow]?)?

    init(_ rows: @escaping () throws -> [CustomerImportRow]?) { self.rows = rows }
}

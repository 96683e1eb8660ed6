import RPCCore
import RPCTransport

/// The reader thread delivering a batch of responses, and the frames written meanwhile.
///
/// Each task resumed by a batch of responses typically writes its next call at once; written one
/// by one that is a send(2) per call, and a wake-up of the server's reader per send. While the
/// reader thread delivers what one read brought and runs the jobs it resumed for itself
/// (``ChannelExecutor``), the frames written on the connection, by those jobs or by tasks the
/// responses resumed on pool threads, are appended to `batch` instead, and leave with one write
/// when the delivery is done, as the C floor's pipelined client writes a burst. Nothing waits for
/// that write but the reader thread's next read: it writes the batch before it reads again, and no
/// frame joins the batch after `batching` is cleared, under the same lock, but those held back below.
///
/// Most of the tasks a batch of responses resumes run after that, though: an async task that does
/// not prefer ``ChannelExecutor`` is resumed on the cooperative pool, and on a busy pool it runs
/// after the reader thread has written its batch and gone back to poll(2), so each of their next
/// calls went out alone (0.93 send(2) a get at 64 in flight: docs/performance/HISTORY.md "get18"). So the
/// reader thread counts the async unary tasks it resumes (``State/resumedTasks``); each reports
/// when it runs (``resumedTaskRan()``), and until the last has, the calls async tasks start also
/// join the batch, which the last writes. Nothing waits on that count for long: the reader thread,
/// which reads while the held calls are in flight, waits in poll(2) at most ``batchHold`` (or what
/// remained of its linger) before it writes them itself, as a resumed task may be slow to run (its
/// executor busy, or blocked by a caller). Calls whose caller reads its own answer (lone and
/// blocked callers) are never held back.
///
/// Order on the wire is kept: stream ids are allocated under the state lock together with the
/// append, and any other write takes the batch first (``takeBatch(from:into:)`` inside the
/// writer's lock), so a CALL_START never follows a later one, nor a frame of its own call.
extension ClientConnection {
    /// Handles every complete frame buffered, batching the frames written meanwhile, then runs
    /// the jobs the reader thread resumed for itself and writes the batch (``runBatchedJobs()``).
    /// Only the reader thread batches: a caller reading its own response has nobody to batch for.
    func handleBufferedFramesBatching() -> RPCError? {
        state.withLock { $0.batching = true }
        let failure = handleBufferedFrames()
        runBatchedJobs()
        return failure
    }

    /// Runs the jobs the reader thread resumed for itself, then writes what was batched.
    func runBatchedJobs() {
        if let executor, executor.hasInlineJobs {
            state.withLock { $0.batching = true }
            executor.runInlineJobs()
        }
        let hasFrames = state.withLock { state in
            state.batching = false
            return !state.batch.isEmpty
        }
        if hasFrames { writeBatch() }
    }

    /// Reported by a task the reader thread resumed (``ClientCall/Answer/counted``), once it runs:
    /// the last of them writes what was batched meanwhile, unless the reader thread is delivering
    /// (it writes the batch itself when done).
    func resumedTaskRan() {
        let writes = state.withLock { state in
            state.resumedTasks -= 1
            return state.resumedTasks == 0 && !state.batching && !state.batch.isEmpty
        }
        if writes { writeBatch() }
    }

    /// How long the reader thread, reading for calls in flight, lets calls wait in the batch for
    /// the tasks it resumed before it writes them itself (up to ``readerLinger`` instead when the
    /// calls came while it lingered, out of calls). The last task mostly writes them first: at 64
    /// in flight, 0.035 send a get, about two a round of 64 (docs/performance/HISTORY.md "get19"); the bound
    /// is for a resumed task that does not run soon.
    static let batchHold = Duration.milliseconds(1)

    /// Writes what is batched.
    func writeBatch() {
        do {
            try writer.write(.bounded) { buffer in state.withLock { Self.takeBatch(from: &$0, into: &buffer) } }
        } catch {
            // Those calls are lost with the connection: the next read sees its end and fails them.
            writer.shutdown(.both)
        }
    }

    /// Moves the batched frames to `buffer` (both locks held: the writer's, then the state's).
    static func takeBatch(from state: inout State, into buffer: inout [UInt8]) {
        guard !state.batch.isEmpty else { return }
        buffer.append(contentsOf: state.batch)
        state.batch.removeAll(keepingCapacity: true)
    }
}

extension ClientConnection.State {
    /// Whether async calls started now join the batch because tasks the reader thread resumed
    /// have yet to run. Only while the thread reads: its poll(2) bounds the wait (``ClientConnection/batchHold``).
    var holdsBackCalls: Bool { resumedTasks > 0 && reader == .thread }
}

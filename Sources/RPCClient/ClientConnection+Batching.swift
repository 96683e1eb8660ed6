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
/// frame joins the batch after `batching` is cleared, under the same lock.
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
        guard hasFrames else { return }
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

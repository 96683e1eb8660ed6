import RPCCore
import RPCTransport

/// The reader thread running the tasks it resumed (``ChannelExecutor``), and the frames they write.
///
/// Each task resumed by a batch of responses typically writes its next call at once; written one
/// by one that is a send(2) per call. While the reader thread runs the jobs of a batch, their
/// frames are appended to `batch` instead, and leave with one write when the jobs are done, as
/// the C floor's pipelined client writes a burst. Order on the wire is kept: stream ids are
/// allocated under the state lock together with the append, and any other write takes the batch
/// first (``takeBatch(from:into:)`` inside the writer's lock), so a CALL_START never follows a
/// later one, nor a frame of its own call.
extension ClientConnection {
    /// Runs the jobs the reader thread resumed for itself, then writes what they wrote.
    func runBatchedJobs() {
        guard let executor, executor.hasInlineJobs else { return }
        state.withLock { $0.batching = true }
        executor.runInlineJobs()
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

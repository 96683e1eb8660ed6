import CustomerCSV
import CustomerClient

extension CustomerImport {
    /// The records in batches (``batchEnds(of:)``), with the progress shown as they go.
    func send(_ sendBatch: ([CustomerRecord]) async throws -> Void, progress: ProgressBar) async throws {
        var offset = 0
        for end in Self.batchEnds(of: records[...]) {
            try await sendBatch(Array(records[offset..<end]))
            offset = end
            progress.update(done: offset)
        }
    }
}

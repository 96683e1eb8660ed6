import SQLiteEngine

extension CustomerStore {
    /// Brings the search index up to date now, batch after batch (`SearchIndex.catchUp`), each on
    /// the writer in its turn: for a tool that seeds a database to measure it as a server that ran
    /// a while leaves it, and for tests. A server leaves this to its `SearchIndexer`.
    /// - Parameter limit: follow at most this many history entries, in one batch; nil: all there are.
    /// - Returns: the batches run.
    @discardableResult
    package func catchUpSearchIndex(limit: Int? = nil) throws -> Int {
        try StoreError.mappingEngineErrors {
            if let limit {
                _ = try writer.withConnection { try SearchIndex.catchUp($0, limit: limit) }
                return 1
            }
            var batches = 1
            while try writer.withConnection({ try SearchIndex.catchUp($0) }) { batches += 1 }
            return batches
        }
    }
}

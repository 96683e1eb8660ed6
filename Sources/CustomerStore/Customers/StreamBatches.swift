/// The row counts of a stream's read batches: the first is small, each next one twice the last,
/// up to ``CustomerStore/streamBatchSize``.
///
/// A stream reads its next batch only once its consumer has taken every row of the last one, and a
/// server's consumer blocks while its client does not read: so a stream whose client stops reading
/// holds the rows of the batch it is in, which is large only if the client had taken the batches
/// before it (a client that never reads holds 16 rows, not 500: HARDENING.md, "Paused streams").
/// A long stream still reads in batches of 500 after its first 496 rows.
struct StreamBatches {
    static let first = 16

    /// The row count of the next batch.
    private(set) var next = Self.first

    /// Called once a batch was read whole and the stream goes on.
    mutating func grow() {
        next = min(next * 2, CustomerStore.streamBatchSize)
    }
}

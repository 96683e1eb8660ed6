import ThreadSync

/// The idempotency keys of the keyed backups running on a store, by user: a keyed backup waits
/// while another runs under its key, as every other keyed write does (the writer runs them one at
/// a time), and then finds what that one stored. A backup does not hold the writer while it
/// copies, so without this two calls under one key both looked the key up before either stored
/// it, and a different request under the key (another `to`) ran beside the first (spec30).
final class BackupKeysInUse: Sendable {
    private struct KeyID: Hashable, Sendable {
        let userID: Int64
        let key: String
    }

    private let running = ConditionalState<Set<KeyID>>([])

    /// Runs `body` once no other backup holds `claim`'s key, holding it meanwhile. Blocks: called on
    /// the backup's own thread, which the copy blocks anyway.
    func holding<Result>(_ claim: IdempotencyClaim, _ body: () throws -> Result) rethrows -> Result {
        let id = KeyID(userID: claim.userID, key: claim.key)
        running.withCondition { held in
            held.wait(until: { !$0.contains(id) })
            held.state.insert(id)
        }
        defer {
            running.withLock { _ = $0.remove(id) }
            running.broadcast()
        }
        return try body()
    }
}

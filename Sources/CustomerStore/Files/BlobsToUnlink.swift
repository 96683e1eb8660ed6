import Synchronization

/// File contents whose last `files` row a keyed write's transaction deleted (a `RemoveFile` sent
/// with an idempotency key): unlinked by ``CustomerStore/keyedWrite(_:_:)`` once that transaction
/// has committed, with the writer held again and each looked up once more. Unlinked before the
/// COMMIT, a content would be lost to its row if the COMMIT failed; unlinked without the writer,
/// to an upload of the same content that reused it in between. Shared by every view of a store.
final class BlobsToUnlink: Sendable {
    private let digests = Mutex<Set<String>>([])

    func add(_ sha256: String) {
        digests.withLock { _ = $0.insert(sha256) }
    }

    /// The digests added since the last call, now no longer held here.
    func take() -> Set<String> {
        digests.withLock { digests in
            defer { digests = [] }
            return digests
        }
    }
}

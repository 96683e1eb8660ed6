import Foundation
import Hashing
import SQLiteEngine
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One file upload in progress, fed chunk by chunk (`CustomerStore.beginUpload` starts it).
///
/// The bytes go to a temporary file beside the blobs and through SHA-256 as they arrive. `finish()`
/// checks them against what was announced and, only when they match, moves the file to its
/// content address and inserts its row; otherwise, and on `abort()`, nothing is kept. An upload
/// dropped without either is aborted by `deinit`, so an interrupted call leaves nothing behind.
///
/// Thread-safe: all mutable state is inside `state`'s mutex, so calls from several threads are
/// serialized (the bytes of concurrent `append`s are not interleaved within a call).
public final class FileUpload: Sendable {
    /// The default largest upload: 100 MiB.
    public static let defaultLimit: Int64 = 100 * 1024 * 1024

    /// What the finished upload becomes, validated by `beginUpload`.
    struct Target: Sendable {
        var customerID: Int64
        var projectID: Int64?
        var name: String
        var contentType: String?
        var expectedSize: Int64?
        var expectedSHA256: String?
        var limit: Int64
        var author: Author
    }

    private enum Phase: Sendable {
        case open, finished, aborted
    }

    private struct State: Sendable {
        /// The temporary file's descriptor; -1 once closed.
        var descriptor: Int32
        var hasher = SHA256()
        var received: Int64 = 0
        var phase = Phase.open
    }

    private let store: CustomerStore
    private let target: Target
    /// Where the bytes are written until `finish()`; internal for tests.
    let temporaryPath: String
    private let state: Mutex<State>

    init(store: CustomerStore, target: Target, descriptor: Int32, temporaryPath: String) {
        self.store = store
        self.target = target
        self.temporaryPath = temporaryPath
        state = Mutex(State(descriptor: descriptor))
    }

    deinit {
        abort()
    }

    /// The bytes received so far.
    public var received: Int64 {
        state.withLock { $0.received }
    }

    /// Adds the next chunk.
    ///
    /// - Throws: `resourceExhausted` past the upload's limit and `invalidArgument` (field `size`)
    ///   past the announced size: the upload is aborted then, leaving nothing. `failedPrecondition`
    ///   after `finish()` or `abort()`.
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        try state.withLock { state in
            try requireOpen(state)
            let total = state.received + Int64(bytes.count)
            if total > target.limit {
                discard(&state)
                throw StoreError.resourceExhausted("the upload exceeds the limit of \(target.limit) bytes")
            }
            if let expected = target.expectedSize, total > expected {
                discard(&state)
                throw StoreError.invalid("size", "the upload has more than the \(expected) bytes announced")
            }
            do {
                try FileSystem.writeAll(state.descriptor, bytes, path: temporaryPath)
            } catch {
                discard(&state)
                throw error
            }
            state.hasher.update(bytes)
            state.received = total
        }
    }

    /// Adds the next chunk. See `append(_: UnsafeRawBufferPointer)`.
    public func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    /// Completes the upload: when size and SHA-256 match what was announced, the content is made
    /// durable at its address (an identical blob already there is reused) and the file's row is
    /// inserted, in one transaction.
    ///
    /// - Throws: `invalidArgument` on `size` or `sha256` when they differ (nothing is kept);
    ///   `notFound` / `invalidArgument` when the customer or project went away meanwhile;
    ///   `failedPrecondition` after `finish()` or `abort()`, what the admission of the store view
    ///   that began the upload throws (asked last before the COMMIT, see `CustomerStore.answering`).
    ///   Any failure leaves nothing behind.
    public func finish() throws -> StoredFile {
        try finishing { _, _, insert in try insert() }
    }

    /// `finish()` for a call with an idempotency key, whose request is the whole upload: `claim`
    /// gets the content's SHA-256 once every chunk has arrived and is looked up in the row's
    /// transaction. A key used before keeps nothing of this upload and says what it came to; a
    /// new key is stored with `answer(file)` in the transaction that inserts the row (its content
    /// placed before it), so a crash leaves both or neither. A refused upload stores no key.
    public func finish(claim: (_ sha256: String) throws -> IdempotencyClaim,
                       answer: (StoredFile) throws -> [UInt8]) throws -> KeyedOutcome<StoredFile> {
        try finishing { connection, sha256, insert in
            let claim = try claim(sha256)
            let (earlier, clock) = try store.lookUp(connection, claim)
            if let earlier { return .earlier(earlier) }
            let file = try insert()
            try CustomerStore.remember(connection, claim, answer: try answer(file), at: clock)
            return .ran(file)
        }
    }

    /// The checks of `finish()`, then `settle` in the row's transaction (see `CustomerStore.storeUpload`).
    private func finishing<Result: Sendable>(
        _ settle: (SQLiteConnection, _ sha256: String, _ insert: () throws -> StoredFile) throws -> Result
    ) throws -> Result {
        try state.withLock { state in
            try requireOpen(state)
            do {
                let digest = state.hasher.finalizeHex()
                if let expected = target.expectedSize, state.received != expected {
                    throw StoreError.invalid("size", "the upload has \(state.received) bytes, \(expected) were announced")
                }
                if let expected = target.expectedSHA256, digest != expected {
                    throw StoreError.invalid("sha256", "the content's SHA-256 differs from the one announced")
                }
                // The content must be on disk before the row that names it commits.
                try FileSystem.call("fsync", temporaryPath) { fsync(state.descriptor) }
                close(state.descriptor)
                state.descriptor = -1
                let result = try store.storeUpload(target, temporaryPath: temporaryPath, sha256: digest, size: state.received,
                                                   settle: settle)
                state.phase = .finished
                return result
            } catch {
                discard(&state)
                throw error
            }
        }
    }

    /// Gives the upload up: the temporary file is deleted. Calling it again, or after `finish()`, does nothing.
    public func abort() {
        state.withLock { state in
            if state.phase == .open { discard(&state) }
        }
    }

    private func requireOpen(_ state: State) throws {
        switch state.phase {
        case .open: return
        case .finished: throw StoreError.failedPrecondition("the upload of '\(target.name)' is already finished", field: "data")
        case .aborted: throw StoreError.failedPrecondition("the upload of '\(target.name)' was aborted", field: "data")
        }
    }

    /// Closes and deletes the temporary file. Best effort: this runs on paths that already fail or
    /// in deinit, and a file left over is removed at the next open anyway.
    private func discard(_ state: inout State) {
        if state.descriptor >= 0 {
            close(state.descriptor)
            state.descriptor = -1
        }
        try? FileSystem.removeFile(temporaryPath)
        state.phase = .aborted
    }
}

import Foundation
import SQLiteEngine
#if canImport(Glibc)
import Glibc
#endif

extension CustomerStore {
    /// Pages one backup step copies by default: 64 pages of 4 KiB (256 KiB). At 100 000 customers
    /// a step held the writer 0.6 ms at the median; 256 pages took 3 ms (docs/OPERATIONS.md).
    public static let backupPagesPerStep = 64

    /// Writes a consistent copy of the database and of every file blob it references into the
    /// folder `target`, while reads and writes go on, and checks it before it counts.
    ///
    /// The database is copied with SQLite's online backup from the writer connection, a few pages
    /// per step, in its turn among the writes: a write waits for at most one step, and writes made
    /// between steps go into the copy too, so it is the database as of the last step. Then the copy
    /// is checked (`integrity_check`), the blobs it references are copied with their SHA-256
    /// checked, and the manifest is written last, all in a hidden folder beside `target` that is
    /// renamed to `target` only then: a backup cut off midway leaves no folder with a manifest.
    ///
    /// Blocks for as long as it copies: call it on a thread of its own.
    ///
    /// - Parameters:
    ///   - target: an absolute path; nothing there, or an empty folder. Written as the server's user.
    ///   - pagesPerStep: pages copied per step (at least 1).
    ///   - isAbandoned: asked before each step, each blob and the manifest: true ends the backup there, its staging
    ///     folder removed (the server: once its stop cut the call, so the stop is not held until the
    ///     copy is done, leaving a backup its caller was told had failed).
    ///   - publishing: called once, after the last `isAbandoned` and just before the manifest (the
    ///     last writes, the fsyncs, the rename): throwing ends the backup there with that error, its
    ///     staging folder removed; once it returned, `isAbandoned` is not asked again and the backup
    ///     is published unless writing fails. The server takes the call's answer here, so that a
    ///     stop either came first (nothing published, its caller told UNAVAILABLE) or finds the
    ///     answer taken and the backup goes to its end.
    /// - Throws: `invalidArgument` (field `to`) for a relative path, a control character or the live
    ///   database's own files (`BackupTarget`), `alreadyExists` for a target in
    ///   use, `failedPrecondition` when its folder is missing, `aborted` when a file's content was
    ///   removed while the backup ran, `dataLoss` when the copy or a stored blob is damaged, `io` or
    ///   `resourceExhausted` from writing, `cancelled` once `isAbandoned`.
    public func backup(to target: String, pagesPerStep: Int = backupPagesPerStep,
                       isAbandoned: () -> Bool = { false }, publishing: () throws -> Void = {}) throws -> BackupSummary {
        try StoreError.mappingEngineErrors {
            try writeBackup(to: target, pagesPerStep: pagesPerStep, isAbandoned: isAbandoned, publishing: publishing) { _ in nil }
        }
    }

    /// `backup` for a call with an idempotency key. A backup's write is its published folder, which
    /// no SQLite transaction can hold, so the key and the answer (`answer(summary)`) go into its
    /// manifest, published with it by the same rename; the key's row in the live database is
    /// written after that. A retry finds the row, or, when a crash came between the two, the
    /// manifest at `target` (and writes the row then): either way nothing runs and the first
    /// answer comes back, also when the backup was removed since (it says what was written then).
    /// - Returns: `.ran` with what this call wrote; `.earlier` (`.replayed`, `.conflict`) when the
    ///   key was used before, nothing written.
    /// - Throws: as `backup`, the key free for a corrected retry.
    public func backup(to target: String, pagesPerStep: Int = backupPagesPerStep, isAbandoned: () -> Bool = { false },
                       publishing: () throws -> Void = {}, claim: IdempotencyClaim,
                       answer: (BackupSummary) throws -> [UInt8]) throws -> KeyedOutcome<BackupSummary> {
        try StoreError.mappingEngineErrors { try backupKeys.holding(claim) {
            // Read, not written: a backup runs also when nothing may be written (see `earlierUseRead`).
            // Looked up with the key held, so that a backup under it that ran meanwhile has stored it.
            if let earlier = try earlierUseRead(of: claim) { return .earlier(earlier) }
            if let published = Self.publishedUse(at: target, of: claim) {
                if case .replayed(let response) = published { keepKey(claim, answer: response) }
                return .earlier(published)
            }
            var response: [UInt8] = []
            let summary: BackupSummary
            do {
                summary = try writeBackup(to: target, pagesPerStep: pagesPerStep, isAbandoned: isAbandoned, publishing: publishing) {
                    response = try answer($0)
                    return BackupManifest.Key(userID: claim.userID, key: claim.key, requestSHA256: claim.requestSHA256,
                                              answer: response)
                }
            } catch {
                // The same call sent twice at once: the one whose rename came second found the target
                // taken by the other's backup, which answers both.
                guard case .replayed(let first)? = Self.publishedUse(at: target, of: claim) else { throw error }
                keepKey(claim, answer: first)
                return .earlier(.replayed(first))
            }
            keepKey(claim, answer: response)
            return .ran(summary)
        } }
    }

    /// What the backup at `target` says of `claim`'s key: `.replayed` with its answer when it was
    /// made under that key for the same request, `.conflict` for another; nil when none is there
    /// or it was made under another key (or none).
    private static func publishedUse(at target: String, of claim: IdempotencyClaim) -> IdempotentOutcome? {
        guard target.hasPrefix("/"),
              let key = (try? BackupManifest(readingFrom: (target as NSString).standardizingPath))?.key,
              key.userID == claim.userID, key.key == claim.key else { return nil }
        return key.requestSHA256 == claim.requestSHA256 ? .replayed(key.answer) : .conflict(method: claim.method)
    }

    /// Stores a published backup's key with its answer, unless a call with the same key stored it
    /// already. Bookkeeping, not the call's write (its answer was taken by `publishing`), and
    /// best effort: the backup's `MANIFEST` holds the key; the row adds a replay once the backup
    /// is gone and the refusal of another request under the key. When nothing may be written (the
    /// database's files removed, a full disk) the backup is what counts.
    private func keepKey(_ claim: IdempotencyClaim, answer: [UInt8]) {
        _ = try? bookkeepingWrite { connection in
            let (earlier, clock) = try lookUp(connection, claim)
            if earlier == nil { try Self.remember(connection, claim, answer: answer, at: clock) }
        }
    }

    /// - Parameter key: given the summary, the idempotency key to publish in the manifest; nil: none.
    private func writeBackup(to target: String, pagesPerStep: Int, isAbandoned: () -> Bool,
                             publishing: () throws -> Void,
                             key: (BackupSummary) throws -> BackupManifest.Key?) throws -> BackupSummary {
        let started = ContinuousClock.now
        let destination = try BackupTarget(target, databasePath: path)
        let staging = try destination.makeStagingDirectory()
        do {
            let databasePath = staging + "/" + BackupManifest.databaseName
            try FileSystem.createOwnerOnlyFile(databasePath)
            let copy = try SQLiteConnection(path: databasePath, role: .writer, options: options)
            // The copy's own journal and fsyncs would run inside the steps, with the writer held:
            // the last step's commit synced the whole file (100 ms and more at 160 MB). The copy
            // needs neither: a crash leaves only a staging folder, and the file is fsync'ed below,
            // after the copy, with the writer free.
            try copy.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
            let holds = try copyDatabase(into: copy, pagesPerStep: max(1, Int32(clamping: pagesPerStep)), isAbandoned: isAbandoned)
            // The copy carries the live file's WAL flag; a backup is one self-contained file.
            _ = try copy.pragma("journal_mode = DELETE")
            let contents = try BackupInspection(checking: copy)
            let databaseBytes = try copy.databaseSize()
            copy.close()
            try syncFile(databasePath)

            let live = BlobStore(databasePath: path)
            let copied = BlobStore(databasePath: databasePath)
            for blob in contents.blobs {
                if isAbandoned() { throw StoreError.cancelled }
                if try !copied.copy(sha256: blob.sha256, size: blob.size, from: live) { throw try missingBlobError(blob.sha256) }
            }
            try? FileManager.default.removeItem(atPath: copied.temporaryDirectory)
            // Asked once more before the manifest (the last writes, then the rename): checking the
            // copy and syncing it take seconds on a large store or a busy machine, and a server's
            // stop that cut the call meanwhile answered UNAVAILABLE; publishing after it left a whole
            // backup its caller was told had failed (BackupTests' SIGTERM case, under load). Not
            // after the manifest: a server's exit can cut the staging folder's removal short, and
            // what it leaves must have no manifest, which `--restore` refuses for what it is.
            if isAbandoned() { throw StoreError.cancelled }
            // A stop between the question above and the rename still published a backup its caller
            // was told had failed: from here on the caller's answer is this backup's.
            try publishing()

            var manifest = BackupManifest(
                createdAt: nowMilliseconds(), schemaVersion: contents.schemaVersion, databaseBytes: databaseBytes,
                customers: contents.customers, files: Int64(contents.blobs.count), fileBytes: contents.fileBytes)
            let summary = BackupSummary(
                path: destination.path, manifest: manifest, durationNanoseconds: (ContinuousClock.now - started).nanoseconds,
                steps: holds.count, medianStepNanoseconds: holds.sorted().dropFirst(holds.count / 2).first ?? 0,
                longestStepNanoseconds: holds.max() ?? 0)
            manifest.key = try key(summary)
            try writeDurably(manifest.text, to: staging + "/" + BackupManifest.fileName)
            try FileSystem.syncDirectory(staging)
            try destination.moveIntoPlace(staging)
            return summary
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    /// Copies the live database into `copy`, one step per turn on the writer.
    /// - Returns: how long each step held the writer (never empty).
    private func copyDatabase(into copy: SQLiteConnection, pagesPerStep: Int32, isAbandoned: () -> Bool) throws -> [UInt64] {
        let backup = try writer.withConnection { try SQLiteBackup(from: $0, into: copy) }
        var holds: [UInt64] = []
        var limit = Int.max
        while true {
            if isAbandoned() {
                // Finished in the writer's turn: finishing touches the live (writer) connection.
                try? writer.withConnection { _ in try backup.finish() }
                throw StoreError.cancelled
            }
            let (isDone, held, total) = try writer.withConnection { _ in
                let stepStarted = ContinuousClock.now
                let isDone = try backup.step(pages: pagesPerStep)
                return (isDone, (ContinuousClock.now - stepStarted).nanoseconds, backup.totalPages)
            }
            holds.append(held)
            if isDone { break }
            // Only a write from another connection restarts the copy, and the store has none; if
            // one ever did, the copy could go on forever under steady writes.
            if limit == .max { limit = 4 * (Int(total) / Int(pagesPerStep) + 1) + 1_000 }
            guard holds.count < limit else {
                throw StoreError.aborted("the backup kept starting over (the database was changed by another connection); nothing was kept",
                                         field: "to")
            }
        }
        try writer.withConnection { _ in try backup.finish() }
        return holds
    }

    /// Why a blob the copy references was not there: removed meanwhile (the live database no
    /// longer references it: try again), or lost from the live store.
    private func missingBlobError(_ sha256: String) throws -> StoreError {
        let stillReferenced = try readOne { connection in
            try connection.withStatement("SELECT 1 FROM files WHERE sha256 = ? LIMIT 1") { statement in
                try statement.bind([.text(sha256)])
                return try statement.step()
            }
        }
        if stillReferenced {
            return .dataLoss("the stored file content \(sha256) is missing from \(BlobStore(databasePath: path).root); nothing was kept")
        }
        return .aborted("the file content \(sha256) was removed while the backup ran; nothing was kept, run the backup again",
                        field: "to")
    }
}

/// fsyncs a file we wrote, so the rename that publishes it cannot reach the disk before its content.
func syncFile(_ path: String) throws {
    let descriptor = try FileSystem.call("open", path) { open(path, O_RDONLY | O_CLOEXEC) }
    defer { close(descriptor) }
    try FileSystem.call("fsync", path) { fsync(descriptor) }
}

/// Writes `text` to a new owner-only file at `path` and fsyncs it.
func writeDurably(_ text: String, to path: String) throws {
    let descriptor = try FileSystem.call("open", path) { open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600) }
    defer { close(descriptor) }
    try Array(text.utf8).withUnsafeBytes { try FileSystem.writeAll(descriptor, $0, path: path) }
    try FileSystem.call("fsync", path) { fsync(descriptor) }
}

extension Duration {
    /// Whole nanoseconds, saturating (a negative duration reads as 0).
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        // Both parts carry the sign: under a second back is (0, -attoseconds), which must not reach UInt64(_:).
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let whole = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return whole.overflow ? .max : whole.partialValue &+ UInt64(attoseconds / 1_000_000_000)
    }
}

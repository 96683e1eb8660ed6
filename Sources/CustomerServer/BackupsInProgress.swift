import ThreadSync

/// The backups still running, so that the server's stop lets each one end before the store closes
/// and the process exits.
///
/// The RPC server's stop answers a backup's call UNAVAILABLE at the end of its grace period and
/// returns; the backup's thread only then sees the stop (at its next step) and removes its staging
/// folder, or, when it had taken its answer before the stop, writes its manifest and renames the
/// folder into place. customerd exiting meanwhile cut either short and left a hidden
/// `.partial-` folder beside the target (BackupTests' SIGTERM case, under load).
final class BackupsInProgress: Sendable {
    /// How long the stop waits for the backups to end: after the stop a backup ends at its next
    /// step or blob, but checking a large copy (`integrity_check`) and syncing it ask nothing.
    static let endWait: Duration = .seconds(30)

    private let running = ConditionalState(0)

    /// Runs one backup, counted until it returns or throws.
    func run<T>(_ backup: () throws -> T) rethrows -> T {
        running.withLock { $0 += 1 }
        defer {
            running.withLock { $0 -= 1 }
            running.broadcast()
        }
        return try backup()
    }

    /// Blocks (a thread of the stop's, never a pool thread) until no backup runs or `endWait` passed;
    /// false when one still ran then. `waiting` is told how many run when there are any, before the
    /// wait: an operator (and a test) sees why the stop has not ended yet.
    func waitUntilNoneRuns(waiting: (_ running: Int) -> Void) -> Bool {
        let deadline = ContinuousClock.now + Self.endWait
        let count = running.withLock { $0 }
        if count > 0 { waiting(count) }
        return running.withCondition { held in held.wait(until: { $0 == 0 }, deadline: deadline) }
    }
}

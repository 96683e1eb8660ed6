import CSQLite
import Dispatch

/// One group's transaction.
extension GroupCommitWriter {
    /// Runs `group`'s bodies in one `BEGIN IMMEDIATE … COMMIT`, each inside `SAVEPOINT w`, and records
    /// every member's outcome; the caller answers them afterwards, so nobody hears of a write before
    /// its COMMIT returned.
    ///
    /// - A body that throws is undone alone (`ROLLBACK TO w`, then `RELEASE w`, because ROLLBACK TO
    ///   leaves the savepoint open: SQLite docs, "SAVEPOINT"); it gets its own error, the others go on.
    /// - When the transaction itself fails (BEGIN, a savepoint step, or COMMIT), the whole group is
    ///   rolled back and every member that ran gets the error that stopped it: none was acknowledged.
    /// - A member whose admission refuses (`write(checksFirst:admission:_:)`) is skipped, just
    ///   before it would have run: it gets the admission's error, the others go on.
    /// - A group of one runs without a savepoint, exactly as a write did before group commit.
    /// - `beforeCommit` is asked once, just before COMMIT: when it throws, the group is rolled back
    ///   as when COMMIT fails.
    /// - Members that join the batch (`write(checksFirst:joiningBatch:…)`) only queue rows while it
    ///   `collects` (in a group of several); the batch is written before a member that does not
    ///   join it runs and before COMMIT. Its failure stops the group as a failed COMMIT does; a
    ///   rolled-back group's batch is dropped. Alone in its group such a member writes its own rows.
    /// - A member that checks first (`write(checksFirst:_:)`) runs without a savepoint as well:
    ///   when it throws and the connection's change count did not move, it changed nothing and the
    ///   others go on. A savepoint made SQLite copy every page the member changed that an earlier
    ///   member had changed before it (to the savepoint's journal, in case of ROLLBACK TO). At 64
    ///   callers creating customers, `sqlite3_step` took ~170 000 instructions a create with the
    ///   savepoints, ~114 000 without them and without the head-office insert trigger, whose
    ///   statement journal would copy the same pages (migration 20; callgrind, docs/performance/HISTORY.md).
    ///
    /// Measured with `customer-bench run create --customers 20000 --duration 2 --connections N
    /// [--durability full]` (release build, 2 cores shared with other builds, so noisy; four runs
    /// each, creates/s and p50 latency, before → after):
    /// - 64 connections, NORMAL: 1 900–2 150/s, p50 29–32 ms → 3 030–3 590/s, p50 17–20 ms
    /// - 64 connections, FULL:   1 070–1 470/s, p50 41–56 ms → 2 960–3 440/s, p50 18–20 ms
    /// - 1 connection: unchanged within the noise (NORMAL 1 670–2 050/s, p50 370–430 µs → 1 490–2 400/s,
    ///   p50 310–360 µs; FULL 660–1 400/s, p50 640–710 µs → 1 000–1 400/s, p50 650–790 µs).
    /// At 64 connections the server's CPU per create fell from ~400 to ~300 µs; the rest is the RPC
    /// and the body itself, so on 2 cores the limit is CPU now, not the commits.
    ///
    /// - Returns: how many members ran, from the front; the rest (left out by the time budget)
    ///   were not touched and must queue again.
    func commitGroup(_ group: [any PendingWrite]) -> Int {
        guard group.count > 1 else {
            let call = group[0]
            do {
                try call.admit()
                try connection.transaction("BEGIN IMMEDIATE") {
                    try call.run(connection)
                    try beforeCommit?()
                }
            } catch {
                batch?.discard()  // Nothing queued (the batch does not collect), unless a body misbehaved.
                call.fail(error)  // Its own error, its admission's, or BEGIN's or COMMIT's.
            }
            return 1
        }
        do {
            try connection.run("BEGIN IMMEDIATE")
        } catch {
            for call in group { call.fail(error) }
            return group.count
        }
        let start = DispatchTime.now().uptimeNanoseconds
        var ran = 0
        var succeeded: [any PendingWrite] = []
        succeeded.reserveCapacity(group.count)
        do {
            for call in group {
                if ran > 0, DispatchTime.now().uptimeNanoseconds - start > budgetNanoseconds { break }
                ran += 1
                do {
                    try call.admit()
                } catch {
                    call.fail(error)  // Refused admission: answered with why, the rest go on.
                    continue
                }
                do {
                    if try run(call) { succeeded.append(call) }
                } catch let failure as ChangedBeforeFailing {
                    call.fail(failure.bodyError)
                    throw failure.groupError
                } catch {
                    call.fail(error)
                    throw error
                }
            }
            try batch?.flush(connection)
            try beforeCommit?()
            try connection.run("COMMIT")
        } catch {
            // As in `SQLiteConnection.transaction`: SQLite may have rolled back already, then
            // ROLLBACK fails harmlessly with "no transaction is active".
            _ = try? connection.run("ROLLBACK")
            batch?.discard()
            for call in succeeded { call.fail(error) }
        }
        return ran
    }

    /// Runs one member of a group of several: one that joins the batch with the batch collecting,
    /// any other after the batch is written (it may read what the batch holds, and a savepoint
    /// must not hold the batch's rows).
    /// - Returns: whether the body succeeded.
    /// - Throws: as `runChecked` and `runInSavepoint`; ``ChangedBeforeFailing`` when the batch
    ///   could not be written (the member gets that error, the members before it too).
    private func run(_ call: any PendingWrite) throws -> Bool {
        guard let batch else { return try call.checksFirst ? runChecked(call) : runInSavepoint(call) }
        guard call.joinsBatch else {
            do {
                try batch.flush(connection)
            } catch {
                throw ChangedBeforeFailing(bodyError: error, groupError: error)
            }
            return try call.checksFirst ? runChecked(call) : runInSavepoint(call)
        }
        batch.collects = true
        defer { batch.collects = false }
        return try runChecked(call)
    }

    /// Runs one member that checks first, without a savepoint.
    /// - Returns: whether the body succeeded (false: it threw having changed nothing).
    /// - Throws: ``ChangedBeforeFailing`` when it changed a row before throwing, or the transaction
    ///   is gone: the group cannot go on.
    private func runChecked(_ call: any PendingWrite) throws -> Bool {
        let changesBefore = connection.totalChanges
        do {
            try call.run(connection)
            return true
        } catch {
            if connection.totalChanges == changesBefore, connection.isInTransaction { return false }
            throw ChangedBeforeFailing(bodyError: error, groupError: SQLiteError(
                code: SQLITE_ABORT, message: "another write of the same transaction failed after changing rows; "
                    + "nothing of the transaction was committed", context: "group commit"))
        }
    }

    /// A member that checks first threw after changing rows: it gets its own error, the members
    /// that ran before it the group's.
    private struct ChangedBeforeFailing: Error {
        let bodyError: any Error
        let groupError: any Error
    }

    /// Runs one member inside `SAVEPOINT w`.
    /// - Returns: whether the body succeeded (false: it threw and its changes are undone).
    /// - Throws: when the transaction can no longer go on. Some errors make SQLite roll back the
    ///   whole transaction, not just the statement (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM, …:
    ///   SQLite docs, "Response To Errors Within A Transaction"); the savepoint is then gone and
    ///   `ROLLBACK TO w` fails. The body's own error is thrown then, as the cause.
    private func runInSavepoint(_ call: any PendingWrite) throws -> Bool {
        try connection.run("SAVEPOINT w")
        do {
            try call.run(connection)
        } catch let bodyError {
            do {
                try connection.run("ROLLBACK TO w")
                try connection.run("RELEASE w")
            } catch {
                throw bodyError
            }
            return false
        }
        try connection.run("RELEASE w")
        return true
    }
}

import CustomerAPI
import CustomerStore
import RPCServing

/// Serves `customer.v1.MaintenanceService`: online backup. Administration only: a backup holds
/// every record, hidden financial figures included.
struct MaintenanceServiceHandler: GuardedService {
    var store: CustomerStore
    /// Counts the backups running, for the server's stop to wait for their end.
    var backups: BackupsInProgress

    /// The most pages one step may copy: 16 MiB at 4 KiB pages, already long enough to be felt by writers.
    static let maxPagesPerStep: Int32 = 4_096

    /// Whether the server's stop cut the call past its grace period (`UNAVAILABLE`): the backup then
    /// ends at its next step, so the stop is not held until the copy is done. A deadline, a cancel or
    /// a lost connection does not end it: an operator's too short `--timeout` still gets its backup
    /// (customerctl's help says so).
    static func cutByTheServersStop(_ context: ServerContext) -> Bool {
        context.cancellation?.code == .unavailable
    }

    /// Takes the call's answer just before the backup is published, so that the server's stop and
    /// the publication do not both happen: a stop that came first (it sets UNAVAILABLE before it
    /// takes the answer) ends the backup with nothing published; a stop after it finds the answer
    /// taken and the backup goes to its end (`BackupsInProgress` holds the exit until then). A call
    /// a deadline, a cancel or a lost connection already ended still gets its backup, as before.
    static func claimPublication(_ context: ServerContext) throws {
        do {
            try context.claimAnswer()
        } catch {
            if cutByTheServersStop(context) { throw StoreError.cancelled }
        }
    }

    func register(with router: inout GuardedRouter) {
        router.register(MaintenanceService.backup, requires: .administration, keyingItself: { request, key, context in
            let pages = request.pagesPerStep ?? Int32(CustomerStore.backupPagesPerStep)
            guard (1...Self.maxPagesPerStep).contains(pages) else {
                throw RPCError(.invalidArgument, field: "pagesPerStep", "must be between 1 and \(Self.maxPagesPerStep), got \(pages)")
            }
            let isAbandoned = { Self.cutByTheServersStop(context) }
            let publishing = { try Self.claimPublication(context) }
            guard let key else {
                return Self.response(try backups.run {
                    try store.backup(to: request.to, pagesPerStep: Int(pages), isAbandoned: isAbandoned, publishing: publishing)
                })
            }
            // The key's row is written after the backup is published, beside the keyed writes'
            // transaction (see `CustomerStore.backup(to:pagesPerStep:isAbandoned:publishing:claim:answer:)`).
            let method = MaintenanceService.backup.descriptor.fullName
            let outcome = try backups.run {
                try store.backup(to: request.to, pagesPerStep: Int(pages), isAbandoned: isAbandoned, publishing: publishing,
                                 claim: try KeyedWrites.claim(MaintenanceService.backup.descriptor, key: key, request,
                                                              by: try Caller.of(context)),
                                 answer: { try KeyedWrites.encode(Self.response($0), of: method) })
            }
            switch outcome {
            case .ran(let summary): return Self.response(summary)
            case .earlier(let earlier): return try KeyedWrites.earlier(earlier, of: method)
            }
        })
    }

    private static func response(_ summary: BackupSummary) -> BackupResponse {
        BackupResponse(
            path: summary.path, databaseBytes: summary.manifest.databaseBytes, customers: summary.manifest.customers,
            files: summary.manifest.files, fileBytes: summary.manifest.fileBytes,
            durationMilliseconds: Int64(clamping: summary.durationNanoseconds / 1_000_000),
            steps: Int64(clamping: summary.steps),
            longestStepMicroseconds: Int64(clamping: summary.longestStepNanoseconds / 1_000),
            medianStepMicroseconds: Int64(clamping: summary.medianStepNanoseconds / 1_000))
    }
}

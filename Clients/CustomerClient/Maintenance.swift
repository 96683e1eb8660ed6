
/// `customer.v1.MaintenanceService` as Swift calls. Needs the Administration right.
public struct Maintenance: Sendable {
    let channel: ClientChannel

    /// Has the server write a checked backup into the folder `to` (an absolute path on the
    /// server's machine, written as the server's OS user) while it keeps serving.
    /// - Parameter pagesPerStep: database pages per step (default 64); writers wait at most one step.
    public func backup(to path: String, pagesPerStep: Int32? = nil, options: CallOptions = CallOptions()) async throws -> BackupResponse {
        try await channel.call(MaintenanceService.backup, BackupRequest(to: path, pagesPerStep: pagesPerStep), options: options)
    }
}

import CustomerAPI
import RPCClient

extension Server {
    /// customerd's store: writer queue and groups, write-ahead log, checkpoints, database size.
    /// UNIMPLEMENTED from a server older than this method.
    public func storeStatus(options: CallOptions = CallOptions()) async throws -> StoreStatusResponse {
        try await channel.call(ServerStatusService.getStoreStatus, EmptyRequest(), options: options)
    }
}

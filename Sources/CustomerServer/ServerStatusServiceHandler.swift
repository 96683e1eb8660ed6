import CustomerAPI
import CustomerStore
import RPCServing

/// Serves `customer.v1.ServerStatusService`: the store's counters and sizes, for any signed-in user
/// (like the runtime's server info, it shows no customer data).
struct ServerStatusServiceHandler: GuardedService {
    var store: CustomerStore
    /// Its import, upload and stream-id limits are reported beside the store's counters.
    let configuration: CustomerServerConfiguration

    func register(with router: inout GuardedRouter) {
        router.register(ServerStatusService.getStoreStatus, requires: .signedIn) { _, _ in
            StoreStatusResponse(store.status, limits: configuration, reserve: store.streamIDFileReserve)
        }
    }
}

extension StoreStatusResponse {
    init(_ status: StoreStatus, limits: CustomerServerConfiguration, reserve: (files: Int, userLimit: Int)) {
        self.init()
        maxImportBytes = UInt64(clamping: limits.maxImportSize)
        importFreeSpaceReserveBytes = UInt64(clamping: limits.importFreeSpaceReserve)
        maxUploadBytes = UInt64(clamping: limits.maxUploadSize)
        maxStreamIDBytesPerUser = UInt64(clamping: limits.maxStreamIDBytesPerUser)
        maxStreamIDFiles = UInt64(clamping: limits.maxStreamIDFiles)
        streamIDFileReserve = UInt64(clamping: reserve.files)
        streamIDFileReserveUserLimit = UInt64(clamping: reserve.userLimit)
        writerQueueDepth = UInt64(clamping: status.writerQueueDepth)
        writeGroups = UInt64(clamping: status.writeGroups)
        writes = UInt64(clamping: status.writes)
        largestWriteGroup = UInt64(clamping: status.largestWriteGroup)
        databaseBytes = UInt64(clamping: status.databaseBytes)
        walBytes = UInt64(clamping: status.walBytes)
        checkpoints = UInt64(clamping: status.checkpoints)
        lastCheckpointAt = status.lastCheckpointAt
        lastCheckpointError = status.lastCheckpointError
    }
}

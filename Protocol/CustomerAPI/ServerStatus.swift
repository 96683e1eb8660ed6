import Foundation
import RPCCore

/// `customer.v1.ServerStatusService`: what customerd's store is doing, beside the runtime's
/// `rpc.info.v1.ServerInfo` (which knows nothing of SQLite). `customerctl server-info` shows both.
public enum ServerStatusService {
    public static let name = "customer.v1.ServerStatusService"

    public static let getStoreStatus = UnaryMethod<EmptyRequest, StoreStatusResponse>(
        service: name, method: "GetStoreStatus",
        summary: "Counters since the server started and file sizes now; reads no customer data. Fields 10 to 14 are "
            + "the server's limits (0 from a server older than the field): `maxImportBytes` what one import may send and "
            + "all imports in progress hold together, `importFreeSpaceReserveBytes` the free space imports and the ordered "
            + "streams' id files leave on the database's file system, `maxUploadBytes` one uploaded file, "
            + "`maxStreamIDBytesPerUser` the bytes of customer ids one OS user's ordered streams (StreamCustomers, "
            + "ExportCustomers, StreamMailingList) may keep in files at once, each file counted a MiB at a time, and "
            + "`maxStreamIDFiles` the id files the ordered streams of all OS users may hold open at once.")
}

/// The store's writer, write-ahead log, checkpoints and size.
public struct StoreStatusResponse: Codable, Sendable, Hashable {
    /// Writes waiting for the writer now.
    public var writerQueueDepth: UInt64 = 0
    /// Write transactions since start (a group of one counts).
    public var writeGroups: UInt64 = 0
    /// Writes run in them; `writes / writeGroups` is the mean group size.
    public var writes: UInt64 = 0
    /// The most writes one transaction held.
    public var largestWriteGroup: UInt64 = 0
    /// Bytes of the database file.
    public var databaseBytes: UInt64 = 0
    /// Bytes of the write-ahead log (`-wal` file).
    public var walBytes: UInt64 = 0
    /// Checkpoints since start (copies of the log into the database file).
    public var checkpoints: UInt64 = 0
    /// When the last checkpoint finished; absent before the first.
    public var lastCheckpointAt: Date?
    /// The last checkpoint failure; absent when there was none.
    public var lastCheckpointError: String?
    /// Bytes one import may send, and all imports in progress hold spooled together (customerd's
    /// `--max-import-size`); 0 from a server older than this field.
    public var maxImportBytes: UInt64 = 0
    /// Free bytes import spools leave on the database's file system (`--import-free-space-reserve`).
    public var importFreeSpaceReserveBytes: UInt64 = 0
    /// Bytes one uploaded file may hold.
    public var maxUploadBytes: UInt64 = 0
    /// Bytes one OS user's ordered streams may keep in id files at once (`--max-stream-ids-per-user`);
    /// 0 from a server older than this field.
    public var maxStreamIDBytesPerUser: UInt64 = 0
    /// Id files the ordered streams of all OS users may hold open at once (derived from customerd's
    /// descriptor limit); 0 from a server older than this field.
    public var maxStreamIDFiles: UInt64 = 0
    /// The last of `maxStreamIDFiles`, kept for OS users holding fewer than
    /// `streamIDFileReserveUserLimit` files; 0 from a server older than this field.
    public var streamIDFileReserve: UInt64 = 0
    /// Id files an OS user's streams may hold and still be given one of `streamIDFileReserve`.
    public var streamIDFileReserveUserLimit: UInt64 = 0

    public init() {}

    enum CodingKeys: Int, CodingKey {
        case writerQueueDepth = 1, writeGroups = 2, writes = 3, largestWriteGroup = 4, databaseBytes = 5, walBytes = 6
        case checkpoints = 7, lastCheckpointAt = 8, lastCheckpointError = 9
        case maxImportBytes = 10, importFreeSpaceReserveBytes = 11, maxUploadBytes = 12, maxStreamIDBytesPerUser = 13
        case maxStreamIDFiles = 14, streamIDFileReserve = 15, streamIDFileReserveUserLimit = 16
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func number(_ key: CodingKeys) throws -> UInt64 { try container.decodeIfPresent(UInt64.self, forKey: key) ?? 0 }
        writerQueueDepth = try number(.writerQueueDepth)
        writeGroups = try number(.writeGroups)
        writes = try number(.writes)
        largestWriteGroup = try number(.largestWriteGroup)
        databaseBytes = try number(.databaseBytes)
        walBytes = try number(.walBytes)
        checkpoints = try number(.checkpoints)
        lastCheckpointAt = try container.decodeIfPresent(Date.self, forKey: .lastCheckpointAt)
        lastCheckpointError = try container.decodeIfPresent(String.self, forKey: .lastCheckpointError)
        maxImportBytes = try number(.maxImportBytes)
        importFreeSpaceReserveBytes = try number(.importFreeSpaceReserveBytes)
        maxUploadBytes = try number(.maxUploadBytes)
        maxStreamIDBytesPerUser = try number(.maxStreamIDBytesPerUser)
        maxStreamIDFiles = try number(.maxStreamIDFiles)
        streamIDFileReserve = try number(.streamIDFileReserve)
        streamIDFileReserveUserLimit = try number(.streamIDFileReserveUserLimit)
    }
}

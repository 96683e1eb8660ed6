import BusinessRegistry
import CustomerAPI
import CustomerStore
import Foundation
import Glibc
import ProductVersion
import RPCServing
import ServiceLog

/// Everything `customerd` needs to start; defaults work on a fresh machine with no flags.
public struct CustomerServerConfiguration: Sendable {
    public var socketPath: String
    public var databasePath: String
    public var durability: Durability
    /// Limits and timeouts of the RPC runtime; the socket path above wins over the one in here.
    public var rpc: ServerConfiguration
    /// The largest file an upload may carry, in bytes (default 100 MiB).
    public var maxUploadSize: Int64 = 100 * 1024 * 1024
    /// The most bytes one ImportCustomers stream may send, its messages as received with 4 bytes
    /// each (default 2 GiB); more is refused RESOURCE_EXHAUSTED and nothing is written. It bounds
    /// the spool file the import is kept in until its stream ends, next to the database, and all
    /// imports in progress together: the message that would pass it fails its own import.
    public var maxImportSize: Int64 = CustomerImportSpool.defaultLimit
    /// Free bytes import spools leave on the database's file system (default 256 MiB): an import
    /// whose next spooled block would eat into them is refused RESOURCE_EXHAUSTED, nothing written,
    /// so imports cannot fill the disk the database needs (`--import-free-space-reserve`).
    public var importFreeSpaceReserve: Int64 = CustomerImportSpool.defaultFreeSpaceReserve
    /// The most bytes one OS user's ordered streams (exports, mailing lists, streams by name or
    /// number of more than 4 096 rows) keep in id files beside the database at once, each file
    /// counted in MiB steps, so it bounds the user's descriptors too (default 64 MiB); a stream
    /// past it is refused RESOURCE_EXHAUSTED (`--max-stream-ids-per-user`). The files leave
    /// `importFreeSpaceReserve` free as well.
    public var maxStreamIDBytesPerUser: Int64 = StoreOptions().streamIDBytesPerUser
    /// The most id files the ordered streams of all OS users hold open at once, each a descriptor
    /// (default 128); a stream past it is refused RESOURCE_EXHAUSTED. customerd sets it to half of
    /// the descriptors its limit keeps beside the connections (`DescriptorLimit`), so users together
    /// cannot take the ones the database, imports, uploads and backups need.
    public var maxStreamIDFiles: Int = StoreOptions().maxStreamIDFiles
    /// Made administrators on the first start of an empty database.
    public var initialAdministrators: [InitialUser]
    /// The national business registries `RefreshFromRegistry` asks (base URLs and timeout);
    /// default: the public PRH and Brønnøysund APIs, 10 seconds.
    public var registries: RegistryDirectory
    /// Databases up to this size are checked (SQLite quick_check) before the socket opens, larger
    /// ones right after, beside serving (see `StoreOptions.integrityCheckAtOpenLimit`).
    public var integrityCheckBeforeServingLimit: Int64 = StoreOptions().integrityCheckAtOpenLimit
    /// How many days back `WatchChanges` serves the change feed (`--feed-retention-days`); nil: no limit.
    public var feedRetentionDays: Int?
    /// How many sequence numbers back `WatchChanges` serves (`--feed-retention-count`); nil: no limit.
    public var feedRetentionCount: Int64?
    /// The refusal lines (`permission denied`, at notice level) one OS user's calls may write per
    /// interval (default 100 a minute): a refused call is cheap to send, so a caller refused in a
    /// loop wrote a line per call (162 bytes, 1 160 naming a person of 1 000 bytes in
    /// `acting-for`; ~2 000 lines a second from one connection). Past it the user's refusals are
    /// counted, and its next line let through says how many were left out (`suppressed=N`).
    public var refusalLogLimit = RefusalLogLimit(lines: 100, interval: .seconds(60))
    /// Test hook: the store's wall clock (`StoreOptions.clock`), so a test can set it forward or back.
    package var clock: @Sendable () -> Date = { Date() }

    public typealias RefusalLogLimit = PerUserLogLimit

    public struct InitialUser: Sendable, Hashable {
        public var uid: UInt32
        public var name: String

        public init(uid: UInt32, name: String) {
            self.uid = uid
            self.name = name
        }
    }

    public init(
        socketPath: String = DefaultEndpoint.socketPath(),
        databasePath: String = DefaultPaths.database(environment: ProcessInfo.processInfo.environment)
    ) {
        self.socketPath = socketPath
        self.databasePath = databasePath
        self.durability = .normal
        self.rpc = ServerConfiguration(socketPath: socketPath)
        self.rpc.serverName = "customerd"
        self.rpc.serverVersion = CustomerCardVersion.current
        self.initialAdministrators = Self.defaultAdministrators()
        self.registries = RegistryDirectory()
    }

    /// The OS user running the server, and root: the two people who can always reach the socket.
    public static func defaultAdministrators() -> [InitialUser] {
        let uid = getuid()
        var users = [InitialUser(uid: uid, name: Self.loginName(of: uid))]
        if uid != 0 {
            users.append(InitialUser(uid: 0, name: "root"))
        }
        return users
    }

    private static func loginName(of uid: uid_t) -> String {
        if let entry = getpwuid(uid), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return "uid\(uid)"
    }
}

/// How hard a commit is pushed to disk before the call is answered.
public enum Durability: String, Sendable, CaseIterable {
    /// SQLite `synchronous=NORMAL` in WAL mode: a killed or crashed process loses no acknowledged
    /// write; a power cut may lose the last few.
    case normal
    /// `synchronous=FULL`: every acknowledged write also survives a power cut; writes cost an fsync.
    case full
}

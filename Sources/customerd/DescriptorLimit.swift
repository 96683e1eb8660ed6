import CustomerServer
import Glibc
import RPCServing
import ServiceLog

/// The process's file-descriptor limit (RLIMIT_NOFILE) against the connections it serves.
///
/// Each connection holds one descriptor, and the store needs more besides: its SQLite
/// connections, import spools, uploads, backups. A server started from a shell inherits a soft
/// limit of 1024, below the 1024 connections it takes: two local users holding connections (512
/// each) then took every descriptor, new connections failed `accept` with EMFILE, and another
/// user's import, upload or backup failed.
enum DescriptorLimit {
    /// Descriptors kept for everything that is not a connection: a quarter of the limit, at least
    /// ``minimumStoreReserve`` and at most ``maximumStoreReserve``. A fixed 256 left a hard limit
    /// of 300 serving 44 connections and one of 200 serving one, while an idle server holds about
    /// 16 descriptors (the database, its WAL and lock, the socket, the log) and each reader, import
    /// spool, upload or backup a few more; past what is kept, the store's own open answers
    /// RESOURCE_EXHAUSTED "the server has no file descriptor free", and the others are served.
    static func storeReserve(forLimit limit: Int) -> Int {
        min(max(limit / 4, minimumStoreReserve), maximumStoreReserve)
    }

    /// The store's 5 connections (writer and readers, 2 files each), the listening socket, the
    /// log and standard streams, and room for a few imports, uploads and a backup at once.
    static let minimumStoreReserve = 48
    /// What the 1024 connections' soft limit of 1280 keeps.
    static let maximumStoreReserve = 256

    /// Id files the ordered streams of all users may hold at once: half the reserve (128 of 256,
    /// 24 of 48), so several users' paused exports leave the database, imports, uploads and backups
    /// the other half. Per user alone (64 files), 4 users' streams could take all 256.
    static func streamIDFiles(forReserve reserve: Int) -> Int {
        max(reserve / 2, 1)
    }

    /// ``apply(to:logger:)`` for the connections, then the streams' id files bounded to their share
    /// of the reserve the limit leaves.
    static func apply(to configuration: inout CustomerServerConfiguration, logger: Logger) {
        let reserve = apply(to: &configuration.rpc, logger: logger)
        configuration.maxStreamIDFiles = min(configuration.maxStreamIDFiles, streamIDFiles(forReserve: reserve))
    }

    /// Raises the soft limit to `maxConnections` plus the largest reserve within the hard limit
    /// (as an unprivileged process may); when the limit is lower, serves only the connections that
    /// fit beside the reserve scaled to it, and logs it. Returns the reserve kept.
    @discardableResult
    static func apply(to configuration: inout ServerConfiguration, logger: Logger) -> Int {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return maximumStoreReserve }
        let wanted = rlim_t(clamping: configuration.maxConnections) &+ rlim_t(maximumStoreReserve)
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = min(wanted, limit.rlim_max)
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        let current = Int(clamping: limit.rlim_cur)
        let reserve = storeReserve(forLimit: current)
        let fitting = current - reserve
        guard fitting < configuration.maxConnections else { return reserve }
        configuration.maxConnections = max(fitting, 1)
        logger.warning("serving at most \(configuration.maxConnections) connections: the descriptor limit (ulimit -n, "
                       + "systemd's LimitNOFILE=) is \(current), and \(reserve) of them (a quarter, at least "
                       + "\(minimumStoreReserve), at most \(maximumStoreReserve)) are kept for the database and files; "
                       + "raise the limit to \(wanted) to serve \(wanted - rlim_t(maximumStoreReserve))",
                       [("hard_limit", "\(limit.rlim_max)")])
        return reserve
    }
}

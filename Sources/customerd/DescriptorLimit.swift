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
    /// Descriptors kept for everything that is not a connection.
    static let storeReserve = 256

    /// Raises the soft limit to `maxConnections` plus ``storeReserve`` within the hard limit (as
    /// an unprivileged process may); when the hard limit is lower, serves only the connections
    /// that fit beside the reserve, and logs it.
    static func apply(to configuration: inout ServerConfiguration, logger: Logger) {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return }
        let wanted = rlim_t(clamping: configuration.maxConnections) &+ rlim_t(storeReserve)
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = min(wanted, limit.rlim_max)
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        let fitting = Int(clamping: limit.rlim_cur) - storeReserve
        guard fitting < configuration.maxConnections else { return }
        configuration.maxConnections = max(fitting, 1)
        logger.warning("serving at most \(configuration.maxConnections) connections: the descriptor limit (ulimit -n, "
                       + "systemd's LimitNOFILE=) is \(limit.rlim_cur), and \(storeReserve) are kept for the database and files",
                       [("hard_limit", "\(limit.rlim_max)")])
    }
}

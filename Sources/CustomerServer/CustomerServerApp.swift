import CustomerStore
import Foundation
import ServiceLog
import RPCServing
import RPCTransport
import Synchronization
import ThreadSync

/// The customer service assembled: the store opened and migrated, identity in front of every
/// handler, each method's permission requirement checked before it, and the RPC server on the socket.
public final class CustomerServerApp: Sendable {
    public let configuration: CustomerServerConfiguration
    /// Internal for tests that hold its writer (`ImportAnswerTests`).
    let store: CustomerStore
    /// What the imports in progress hold spooled together, against `maxImportSize`.
    private let importSpools: SharedBudget
    /// Internal for the test that every service holds the store that requires admissions.
    let services: GuardedServices
    /// Ends the change feed's watches when a graceful stop begins.
    private let feedShutdown: ChangeFeedShutdown
    /// The backups running, which the stop lets end before the store closes.
    private let backups: BackupsInProgress
    private let server: RPCServer
    private let logger: Logger
    private let lateFailure = Mutex<StartFailure?>(nil)
    /// Started by ``start()``, stopped before the store closes.
    private let filesMonitor = Mutex<DatabaseFilesMonitor?>(nil)

    /// Set when the database was refused after the server had started (a large database's
    /// integrity check runs beside serving): the server has then stopped itself.
    public var failureAfterStart: StartFailure? { lateFailure.withLock { $0 } }

    /// Opens (and migrates) the database; does not touch the socket yet.
    public init(configuration: CustomerServerConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        try DefaultPaths.ensureParentDirectory(of: configuration.databasePath)
        let store = try CustomerStore(path: configuration.databasePath, options: configuration.storeOptions)
        for renamed in store.namesRenamedAtOpen {
            // Two names that differ only in case beyond ASCII, canonical or compatibility form, or
            // format characters were both taken before unicode23; the later one now carries a suffix until the administrator decides.
            logger.warning("a name was renamed: an older row has the same name ignoring case, compatibility forms and invisible characters", [
                ("table", renamed.table), ("id", String(renamed.id)), ("name", renamed.oldName),
                ("renamed", renamed.newName), ("keptId", String(renamed.keptID)), ("kept", renamed.keptName)])
        }
        let importSpools = SharedBudget(limit: Int(configuration.maxImportSize))
        self.importSpools = importSpools
        try store.bootstrap(administrators: configuration.initialAdministrators.map { (uid: $0.uid, name: $0.name) })
        self.store = store
        // Everything that serves calls gets the view that refuses a write made without its call's
        // admission (`answering(context)`), so a handler that forgets it fails loudly instead of
        // committing after its caller was answered (PROTOCOL.md §7.1). The opened store stays here,
        // for start-up (above), the integrity check and closing.
        let served = store.requiringAdmission()
        let users = UserDirectory(store: served)
        let audit = PermissionAudit(logger: logger, limit: configuration.refusalLogLimit)
        let feedShutdown = ChangeFeedShutdown(signal: store.commits)
        let backups = BackupsInProgress()
        self.backups = backups
        let identity = IdentityInterceptor(users: users, audit: audit)
        self.feedShutdown = feedShutdown
        // Only guarded services reach the RPC server: every method declares what it needs.
        services = GuardedServices(
            services: [
                CustomerServiceHandler(store: served),
                CustomerImportHandler(store: served, spoolTotal: importSpools,
                                      freeSpaceReserve: configuration.importFreeSpaceReserve),
                CustomerMergeHandler(store: served),
                UserServiceHandler(store: served, users: users),
                ProfileServiceHandler(store: served, users: users),
                AddressServiceHandler(store: served),
                ContactServiceHandler(store: served),
                LabelServiceHandler(store: served),
                ActivityServiceHandler(store: served),
                HistoryServiceHandler(store: served),
                CardServiceHandler(store: served),
                ProjectServiceHandler(store: served),
                FinancialServiceHandler(store: served),
                SettingsServiceHandler(store: served),
                FileServiceHandler(store: served, uploadLimit: configuration.maxUploadSize),
                InvoiceServiceHandler(store: served),
                RegistryRefreshHandler(store: served, registries: configuration.registries, logger: logger,
                                       failureLog: PerUserLogRateLimiter(configuration.rpc.failedCallLogLimit)),
                ServerStatusServiceHandler(store: served, configuration: configuration),
                DossierServiceHandler(store: served),
                MaintenanceServiceHandler(store: served, backups: backups),
                ChangeFeedServiceHandler(store: served, retention: FeedRetention(
                    days: configuration.feedRetentionDays, count: configuration.feedRetentionCount), shutdown: feedShutdown),
            ],
            checker: PermissionChecker(store: served, audit: audit, identity: identity), store: served)
        var rpc = configuration.rpc
        rpc.socketPath = configuration.socketPath
        rpc.mayReadStatistics = { identity.mayReadStatistics($0) }
        self.server = RPCServer(
            configuration: rpc, services: [services], interceptors: [identity],
            logger: logger)
    }

    /// What each customer method needs (its permission requirement in one line), by full method name.
    public var methodRequirements: [String: String] { services.requirements }

    /// Bytes the imports in progress hold in their spool files together (for tests and statistics).
    public var importSpoolBytes: Int { importSpools.inUse }

    /// Bytes OS user `uid`'s ordered streams hold counted in id files (for tests and statistics).
    public func streamIDBytes(ofUser uid: UInt32) -> Int64 { store.streamIDBytes(ofUser: uid) }
    /// Id files all OS users' ordered streams hold open now.
    public var streamIDFilesOpen: Int { store.streamIDFilesOpen }

    /// Starts accepting calls; the socket's directory is created (mode 0700) when missing, and
    /// refused when it is not the server user's alone (see `RPCServer.start`).
    public func start() throws {
        try server.start()
        logger.notice(
            "started", [("socket", configuration.socketPath), ("database", configuration.databasePath)])
        let monitor = DatabaseFilesMonitor(store: store, logger: logger) { [server] in server.health.setAll(.notServing) }
        filesMonitor.withLock { $0 = monitor }
        if store.isIntegrityCheckDeferred { startIntegrityCheck() }
        // Off the callers' path: the first calls after a start find their readers open
        // (docs/PERFORMANCE.md "serve34"); the store's close waits for the one being opened.
        Thread { [store] in store.openReaders() }.start()
    }

    /// Serves one connection handed over in process (the server end of an `InProcessStream` pair),
    /// without a socket file and without ``start()``: tests of handlers and permissions. Close
    /// the clients before ``shutdown()``, which waits only for connections accepted from the socket.
    package func serve(connection: any ByteStream) {
        server.serve(connection: connection)
    }

    /// SQLite's quick_check on the open store; throws what it found. The handlers' fuzz target
    /// (Tests/Fuzz) checks with it that no call, however hostile, left the database damaged.
    package func checkStoreIntegrity() throws {
        try store.checkIntegrity()
    }

    /// A database too large to check within the start-up budget is checked now, on a thread of
    /// its own; damage stops the server as if it had been refused at start (same message).
    private func startIntegrityCheck() {
        logger.info("checking the database beside serving (SQLite quick_check)", [("database", configuration.databasePath)])
        Thread { [self] in
            do {
                try store.checkIntegrity()
                logger.info("database check passed", [("database", configuration.databasePath)])
            } catch {
                logger.critical("refusing the database, stopping: \(error)", [("database", configuration.databasePath)])
                lateFailure.withLock { $0 = StartFailure(error) }
                server.shutdown()
            }
        }.start()
    }

    /// Graceful stop: calls in flight finish within the grace period, then the store closes.
    public func shutdown() {
        feedShutdown.stop()
        server.shutdown()
        server.waitUntilStopped()
        closeStore()
    }

    /// Blocks until SIGTERM, SIGINT or SIGHUP, then stops gracefully; returns the process exit code.
    /// `whenReady` and `whenStopping`: see `RPCServer.runUntilTerminated`.
    public func runUntilTerminated(whenReady: () -> Void = {}, whenStopping: (_ signal: Int32?) -> Void = { _ in }) -> Int32 {
        let code = server.runUntilTerminated(whenReady: whenReady) { signal in
            feedShutdown.stop()
            whenStopping(signal)
        }
        closeStore()
        return code
    }

    /// After the server has stopped: no call can reach the store any more. A backup still running
    /// (the stop cut its call, or it had taken its answer) is let end first, bounded, so that the
    /// exit leaves neither its staging folder nor half of its publication behind.
    private func closeStore() {
        let ended = backups.waitUntilNoneRuns { running in
            logger.notice("waiting for the running backups to end before closing the database", [("backups", "\(running)")])
        }
        if !ended {
            logger.warning("a backup did not end within \(BackupsInProgress.endWait) of the stop; its staging folder may be left beside its target")
        }
        filesMonitor.withLock { $0?.stop() }
        store.close()
        logger.notice("stopped", [("socket", configuration.socketPath)])
    }
}

extension CustomerServerConfiguration {
    var storeOptions: StoreOptions {
        var options = StoreOptions()
        options.synchronous = durability == .full ? .full : .normal
        options.vatNormaliser = VATNumberRules.normaliser
        options.integrityCheckAtOpenLimit = integrityCheckBeforeServingLimit
        options.streamIDBytesPerUser = maxStreamIDBytesPerUser
        options.maxStreamIDFiles = maxStreamIDFiles
        options.streamFreeSpaceReserve = importFreeSpaceReserve
        options.clock = clock
        return options
    }
}

import CommandLineKit
import CustomerServer
import Foundation
import ProductVersion
import RPCServing
import ServiceLog

/// Exit codes (documented in `--help` and docs/SERVER.md).
enum ExitCode {
    static let success: Int32 = 0
    /// The server could not start: the socket is taken or unsafe, a directory cannot be made, ...
    static let startFailed: Int32 = 1
    /// Another server owns the database (its lock file is held).
    static let databaseInUse: Int32 = 2
    /// The database was refused: damaged, read-only, not SQLite, from a newer version, marked cut short, or unsafe.
    static let databaseRefused: Int32 = 3
    /// --restore refused the backup (incomplete, damaged) or the data already there (no --force).
    static let restoreRefused: Int32 = 4
    /// The command line was wrong.
    static let usage: Int32 = 64
}

let helpText = """
    OVERVIEW: customerd serves the customer card over a binary RPC protocol on a Unix socket.

    It owns the SQLite database: clients (customerctl, the CustomerClient library) never open it.
    Start, stop and failure are logged to stderr, one line each, with the paths it uses. A thread
    of its own writes them: when stderr is not read, up to 1 MiB of lines waits in its queue, lines
    past that are dropped and counted on the next line written, and at exit it waits at most 5 s.

    USAGE: \(DaemonOptions.usage)

    \(DaemonOptions.signature.help(column: 25))SOCKET ACTIVATION (systemd; units in contrib/systemd):
      Started with LISTEN_FDS=1 and LISTEN_PID set to its own pid, customerd serves the listening
      socket it inherited as file descriptor 3 instead of creating one: --socket, --socket-mode and
      --socket-group are then ignored (the socket unit sets path, mode and group), and the socket file
      is left in place at exit. Descriptor 3 must be a listening Unix stream socket and exactly one
      socket must be passed; anything else is refused (exit code 1, saying what was passed).
      LISTEN_PID naming another process means the sockets are not for it: they are left alone.
      With NOTIFY_SOCKET set (Type=notify), it reports READY=1 once it accepts calls, STOPPING=1 when
      a stop begins, and a STATUS= line at each step (opening the database, serving, failed to start).
      These variables are removed from its environment once read.

    EXIT CODES:
      0   stopped cleanly (SIGTERM, SIGINT, SIGHUP, SIGPWR or SIGXCPU; SIGUSR1, SIGUSR2, SIGALRM,
          SIGVTALRM, SIGPROF, SIGIO, SIGSTKFLT and SIGRTMIN to SIGRTMAX are logged and ignored)
      1   could not start (the message says why: socket in use, unsafe socket directory, inherited
          socket not a listening Unix stream socket, ...)
      2   another customerd owns the database (the message names its pid)
      3   database refused: damaged, read-only, not an SQLite database, from a newer version,
          marked as having lost writes (DATABASE.wal-cut-short: a server's read, or a start on the
          same boot through DATABASE.wal-length, found its write-ahead log cut short;
          restore a backup with --restore and --force, or check the database and remove the marker),
          or unsafe (its directory, a directory above it, or its files another user owns or may write,
          or a link)
      4   --restore refused: the backup is incomplete or damaged, another user could have
          written it, or data is there (no --force)
      64  wrong command line

    EXAMPLE:
      customerd --socket /tmp/cc/customerd.sock --database /tmp/cc/customers.sqlite
      customerd --socket-mode 0660 --socket-group staff
      customerd --database /srv/cc/customers.sqlite --restore /var/backups/customercard/2026-12-03
      customerd --registry-url fi=http://127.0.0.1:8080/v3 --registry-url no=http://127.0.0.1:8080/api --registry-timeout 3

    """

/// A usage error as printed: the operator's own argument is quoted in it, its control characters
/// written as the log writes them (`--log-level $'\e[31m'` printed ESC raw before, redteam30). It is
/// written with write(2) (`LogSink`), not FileHandle, whose write traps when it fails (`2>/dev/full`).
func usageMessage(_ error: any Error) -> String {
    UsageError.description(of: error, escaping: TerminalText.escaped)
}

func run() -> Int32 {
    // First, before anything opens a descriptor: started with 0, 1 or 2 closed (`customerd 2>&-`),
    // the database's lock file or a client's connection took the number and log lines went into it.
    do {
        try StandardDescriptors.openMissing()
    } catch {
        LogSink.writeToStandardError("customerd: failed to start: \(error)\n")
        return ExitCode.startFailed
    }
    // Whatever umask customerd is started with (000 from a careless unit or shell): what it makes
    // without an explicit mode is its user's alone. Its own files already name 0600/0700; this is
    // for the ones made on its behalf, such as Foundation's URLCache and cookie directories under
    // HOME, found 0777 under umask 000 (redteam20b, contrib/hostile/file_planting.py). The socket's
    // mode is set explicitly (--socket-mode), so it is not narrowed by this.
    umask(0o077)
    let arguments: ParsedArguments
    do {
        arguments = try DaemonOptions.signature.parse(CommandLine.arguments.dropFirst())
    } catch {
        LogSink.writeToStandardError("Error: \(usageMessage(error))\nUsage: \(DaemonOptions.usage)\nSee 'customerd --help'.\n")
        return ExitCode.usage
    }
    if arguments.wantsHelp {
        print(helpText, terminator: "")
        return ExitCode.success
    }
    if arguments.flag(DaemonOptions.version) {
        print(CustomerCardVersion.line(for: "customerd"))
        return ExitCode.success
    }

    // Before anything opens a descriptor: the registries' URLSession (in the configuration below)
    // makes a socket pair, which took descriptor 3 when the service manager passed none, and was
    // then judged as the inherited socket (redteam26, contrib/hostile/command_lines.py).
    let activation = Result { () throws(RPCServerError) in try SocketActivation.fromEnvironment() }

    // The parser already refused any value outside these options' choices.
    var logger = Logger(label: "customerd")
    if let level = arguments.value(DaemonOptions.logLevel).flatMap(LogLevel.init(name:)) {
        logger.level = level
    }
    var configuration = CustomerServerConfiguration()
    if let socket = arguments.value(DaemonOptions.socket) {
        configuration.socketPath = socket
    }
    if let database = arguments.value(DaemonOptions.database) {
        configuration.databasePath = database
    }
    if let durability = arguments.value(DaemonOptions.durability).flatMap(Durability.init(rawValue:)) {
        configuration.durability = durability
    }
    do {
        (configuration.rpc.socketMode, configuration.rpc.socketGroup) = try SocketAccessOptions.parse(
            mode: arguments.value(DaemonOptions.socketMode), group: arguments.value(DaemonOptions.socketGroup))
        configuration.registries = try RegistryOptions.directory(
            urls: arguments.allValues(DaemonOptions.registryURL), timeout: arguments.value(DaemonOptions.registryTimeout))
        if let threshold = arguments.value(DaemonOptions.slowCallThreshold) {
            configuration.rpc.slowCallThreshold = try SlowCallOption.threshold(threshold)
        }
        if let perUser = try arguments.integer(DaemonOptions.maxConnectionsPerUser, in: 1...1_000_000) {
            configuration.rpc.maxConnectionsPerUser = perUser
        }
        if let calls = try arguments.integer(DaemonOptions.maxCallsPerUser, in: 1...1_000_000) {
            configuration.rpc.maxCallsPerUser = calls
        }
        if let mebibytes = try arguments.integer(DaemonOptions.maxInputPerUser, in: 1...1_048_576) {
            configuration.rpc.maxInputBytesPerUser = mebibytes * 1_048_576
        }
        if let mebibytes = try arguments.integer(DaemonOptions.maxQueuedPerUser, in: 1...1_048_576) {
            configuration.rpc.maxQueuedBytesPerUser = mebibytes * 1_048_576
        }
        if let streams = try arguments.integer(DaemonOptions.maxStreamsPerUser, in: 1...1_000_000) {
            configuration.rpc.maxServerStreamsPerUser = streams
        }
        if let threads = try arguments.integer(DaemonOptions.maxUnaryThreadsPerUser, in: 1...1_000_000) {
            configuration.rpc.maxUnaryThreadsPerUser = threads
        }
        if let mebibytes = try arguments.integer(DaemonOptions.maxImportSize, in: Int64(1)...1_048_576) {
            configuration.maxImportSize = mebibytes * 1_048_576
        }
        if let mebibytes = try arguments.integer(DaemonOptions.importFreeSpaceReserve, in: Int64(0)...1_048_576) {
            configuration.importFreeSpaceReserve = mebibytes * 1_048_576
        }
        if let mebibytes = try arguments.integer(DaemonOptions.maxStreamIDsPerUser, in: Int64(1)...1_048_576) {
            configuration.maxStreamIDBytesPerUser = mebibytes * 1_048_576
        }
        configuration.feedRetentionDays = try arguments.integer(DaemonOptions.feedRetentionDays, in: 1...36_500)
        configuration.feedRetentionCount = try arguments.integer(DaemonOptions.feedRetentionCount, in: 1...1_000_000_000_000)
    } catch {
        LogSink.writeToStandardError("Error: \(usageMessage(error))\nSee 'customerd --help'.\n")
        return ExitCode.usage
    }

    if arguments.flag(DaemonOptions.force), arguments.value(DaemonOptions.restore) == nil {
        LogSink.writeToStandardError("Error: --force only goes with --restore\nSee 'customerd --help'.\n")
        return ExitCode.usage
    }
    if let backup = arguments.value(DaemonOptions.restore) {
        return restore(from: backup, configuration: configuration, force: arguments.flag(DaemonOptions.force), logger: logger)
    }
    let notifier = ServiceManagerNotifier.fromEnvironment(logger: logger)
    do {
        let socketOptions = [DaemonOptions.socket, DaemonOptions.socketMode, DaemonOptions.socketGroup]
            .filter { arguments.value($0) != nil }
        try SocketActivation.apply(activation.get(), to: &configuration, explicitOptions: socketOptions.map(\.spelling),
                                   logger: logger)
    } catch {
        logger.critical("failed to start: \(error)")
        notifier?.failed(error.description)
        return ExitCode.startFailed
    }

    DescriptorLimit.apply(to: &configuration, logger: logger)
    notifier?.starting(database: configuration.databasePath)
    do {
        let app = try CustomerServerApp(configuration: configuration, logger: logger)
        try app.start()
        let code = app.runUntilTerminated(whenReady: { notifier?.ready(socket: configuration.socketPath) },
                                          whenStopping: { notifier?.stopping(signal: $0) })
        return app.failureAfterStart.map(exitCode(for:)) ?? code
    } catch {
        logger.critical("failed to start: \(error)", [("socket", configuration.socketPath), ("database", configuration.databasePath)])
        notifier?.failed("\(error)")
        return exitCode(forStartFailure: error)
    }
}

/// `--restore`: one line on stdout when it worked, the reason on stderr when not.
func restore(from backup: String, configuration: CustomerServerConfiguration, force: Bool, logger: Logger) -> Int32 {
    do {
        print(try BackupRestore.restore(from: backup, configuration: configuration, force: force))
        return ExitCode.success
    } catch {
        logger.critical("restore refused: \(error)", [("backup", backup), ("database", configuration.databasePath)])
        return StartFailure(error) == .databaseInUse ? ExitCode.databaseInUse : ExitCode.restoreRefused
    }
}

/// Start failures an operator handles differently get their own exit code.
func exitCode(forStartFailure error: any Error) -> Int32 {
    exitCode(for: StartFailure(error))
}

func exitCode(for failure: StartFailure) -> Int32 {
    switch failure {
    case .databaseInUse: return ExitCode.databaseInUse
    case .databaseRefused: return ExitCode.databaseRefused
    case .other: return ExitCode.startFailed
    }
}

let code = run()
// Log lines are written by a thread of their own (LogSink.standardError); the last ones (stopped,
// failed to start) are waited for, but not for ever: a reader that stopped reading keeps them.
LogSink.drainStandardError(within: .seconds(5))
exit(code)

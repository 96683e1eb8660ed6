import CommandLineKit
import CustomerServer
import Foundation
import ServiceLog

/// Exit codes (documented in `--help` and README.md).
enum ExitCode {
    static let success: Int32 = 0
    /// The server could not start: the socket is taken or unsafe, a directory cannot be made, ...
    static let startFailed: Int32 = 1
    /// Another server owns the database (its lock file is held).
    static let databaseInUse: Int32 = 2
    /// The database was refused: damaged, read-only, not SQLite, or from a newer version.
    static let databaseRefused: Int32 = 3
    /// The command line was wrong.
    static let usage: Int32 = 64
}

let help = """
    OVERVIEW: customerd serves the customer card over a binary RPC protocol on a Unix socket.

    It owns the SQLite database: clients (customerctl, the CustomerClient library) never open it.
    Start, stop and failure are logged to stderr, one line each, with the paths it uses.

    USAGE: customerd [--socket PATH] [--socket-mode MODE] [--socket-group GROUP] [--database PATH]
                     [--log-level LEVEL] [--durability MODE] [--registry-url CC=URL ...]
                     [--registry-timeout SECONDS]

    OPTIONS:
      --socket PATH        The Unix socket to listen on (created with mode 0600).
                           Default: $CUSTOMER_SOCKET, else $XDG_RUNTIME_DIR/customercard/customerd.sock,
                           else /tmp/customercard-UID/customerd.sock. Missing directories are created
                           with mode 0700. The socket's directory must belong to the server's user and
                           be writable by nobody else (else anyone who can write there could put their
                           own socket in its place): one owned by another user, writable by group or
                           others (such as /tmp itself), or a symbolic link is refused, and so is a
                           symbolic link at the socket path.
      --socket-mode MODE   The socket file's mode, octal: 0600 (default, only this user), 0660 (also the
                           socket's group), 0666 (every local user). Read and write bits only. Callers
                           are still identified by their OS user (SO_PEERCRED) and limited by their
                           permission profile; an OS user that is not a CustomerCard user is refused.
      --socket-group GROUP The socket file's group (name or gid), e.g. with --socket-mode 0660;
                           alone it means --socket-mode 0660. When the mode lets others in, the
                           socket's directory gets search permission (x, never read or write) for them.
      --database PATH      The SQLite database file (created and migrated when missing). It, its -wal
                           and -shm files and stored file content are created mode 0600, directories
                           0700. One server per database: customerd holds PATH.lock (flock) while it
                           runs; a second one exits with code 2 naming the owner's pid. The database
                           is checked with SQLite's quick_check (over 16 MiB: right after the socket
                           opens, beside serving) and refused when damaged or when it cannot be
                           written (exit code 3).
                           Default: $CUSTOMER_DATABASE, else $XDG_DATA_HOME/customercard/customers.sqlite,
                           else ~/.local/share/customercard/customers.sqlite.
      --log-level LEVEL    trace, debug, info, notice, warning, error or critical. Default: info.
      --durability MODE    normal: a crash of the process never loses an acknowledged write (SQLite
                           synchronous=NORMAL in WAL mode); full: neither does a power cut
                           (synchronous=FULL, slower writes). Default: normal.
      --registry-url CC=URL
                           The business registry a customer refresh asks for country CC (fi or no);
                           repeat it for both. Default: fi=https://avoindata.prh.fi/opendata-ytj-api/v3
                           and no=https://data.brreg.no/enhetsregisteret/api (the public APIs).
      --registry-timeout SECONDS
                           How long one registry lookup may take before the refresh fails with
                           UNAVAILABLE. Default: 10.
      --version            Print the version and exit.
      -h, --help           Show this help and exit.

    EXIT CODES:
      0   stopped cleanly (SIGTERM or SIGINT)
      1   could not start (the message says why: socket in use, unsafe socket directory, ...)
      2   another customerd owns the database (the message names its pid)
      3   database refused: damaged, read-only, not an SQLite database, or from a newer version
      64  wrong command line

    EXAMPLE:
      customerd --socket /tmp/cc/customerd.sock --database /tmp/cc/customers.sqlite
      customerd --socket-mode 0660 --socket-group staff
      customerd --registry-url fi=http://127.0.0.1:8080/v3 --registry-url no=http://127.0.0.1:8080/api --registry-timeout 3

    """

func run() -> Int32 {
    let arguments: ParsedArguments
    do {
        arguments = try ParsedArguments(
            CommandLine.arguments.dropFirst(),
            options: ["socket", "socket-mode", "socket-group", "database", "log-level", "durability",
                      "registry-url", "registry-timeout"],
            flags: ["version"])
        try arguments.expectPositionals(atMost: 0)
    } catch {
        FileHandle.standardError.write(Data("Error: \(error)\nUsage: customerd [--socket PATH] [--socket-mode MODE] [--socket-group GROUP] [--database PATH] [--log-level LEVEL] [--durability MODE] [--registry-url CC=URL ...] [--registry-timeout SECONDS]\nSee 'customerd --help'.\n".utf8))
        return ExitCode.usage
    }
    if arguments.wantsHelp {
        print(help, terminator: "")
        return ExitCode.success
    }
    if arguments.flag("version") {
        print("customerd \(CustomerServerVersion.current)")
        return ExitCode.success
    }

    var logger = Logger(label: "customerd")
    if let name = arguments.value("log-level") {
        guard let level = LogLevel(name: name) else {
            FileHandle.standardError.write(Data("Error: unknown log level '\(name)'\nSee 'customerd --help'.\n".utf8))
            return ExitCode.usage
        }
        logger.level = level
    }

    var configuration = CustomerServerConfiguration()
    if let socket = arguments.value("socket") {
        configuration.socketPath = socket
    }
    if let database = arguments.value("database") {
        configuration.databasePath = database
    }
    if let mode = arguments.value("durability") {
        guard let durability = Durability(rawValue: mode) else {
            FileHandle.standardError.write(Data("Error: unknown durability '\(mode)' (normal or full)\nSee 'customerd --help'.\n".utf8))
            return ExitCode.usage
        }
        configuration.durability = durability
    }
    do {
        (configuration.rpc.socketMode, configuration.rpc.socketGroup) = try SocketAccessOptions.parse(
            mode: arguments.value("socket-mode"), group: arguments.value("socket-group"))
        configuration.registries = try RegistryOptions.directory(
            urls: arguments.allValues("registry-url"), timeout: arguments.value("registry-timeout"))
    } catch {
        FileHandle.standardError.write(Data("Error: \(error)\nSee 'customerd --help'.\n".utf8))
        return ExitCode.usage
    }

    do {
        let app = try CustomerServerApp(configuration: configuration, logger: logger)
        try app.start()
        let code = app.runUntilTerminated()
        return app.failureAfterStart.map(exitCode(for:)) ?? code
    } catch {
        logger.critical("failed to start: \(error)", [("socket", configuration.socketPath), ("database", configuration.databasePath)])
        return exitCode(forStartFailure: error)
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

exit(run())

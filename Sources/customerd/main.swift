import CommandLineKit
import CustomerServer
import Foundation
import Logging

/// Exit codes (documented in `--help` and README.md).
enum ExitCode {
    static let success: Int32 = 0
    /// The server could not start: the database was refused, the socket is taken, ...
    static let startFailed: Int32 = 1
    /// The command line was wrong.
    static let usage: Int32 = 64
}

let help = """
    OVERVIEW: customerd serves the customer card over a binary RPC protocol on a Unix socket.

    It owns the SQLite database: clients (customerctl, the CustomerClient library) never open it.
    Start, stop and failure are logged to stderr, one line each, with the paths it uses.

    USAGE: customerd [--socket PATH] [--database PATH] [--log-level LEVEL] [--durability MODE]
                     [--registry-url CC=URL ...] [--registry-timeout SECONDS]

    OPTIONS:
      --socket PATH        The Unix socket to listen on (created with mode 0600).
                           Default: $CUSTOMER_SOCKET, else $XDG_RUNTIME_DIR/customercard/customerd.sock,
                           else /tmp/customercard-UID/customerd.sock.
      --database PATH      The SQLite database file (created and migrated when missing).
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
      1   could not start (the message says why: database refused, socket in use, ...)
      64  wrong command line

    EXAMPLE:
      customerd --socket /tmp/cc.sock --database /tmp/cc.sqlite
      customerd --registry-url fi=http://127.0.0.1:8080/v3 --registry-url no=http://127.0.0.1:8080/api --registry-timeout 3

    """

func run() -> Int32 {
    let arguments: ParsedArguments
    do {
        arguments = try ParsedArguments(
            CommandLine.arguments.dropFirst(),
            options: ["socket", "database", "log-level", "durability", "registry-url", "registry-timeout"],
            flags: ["version"])
        try arguments.expectPositionals(atMost: 0)
    } catch {
        FileHandle.standardError.write(Data("Error: \(error)\nUsage: customerd [--socket PATH] [--database PATH] [--log-level LEVEL] [--durability MODE] [--registry-url CC=URL ...] [--registry-timeout SECONDS]\nSee 'customerd --help'.\n".utf8))
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
        configuration.registries = try RegistryOptions.directory(
            urls: arguments.allValues("registry-url"), timeout: arguments.value("registry-timeout"))
    } catch {
        FileHandle.standardError.write(Data("Error: \(error)\nSee 'customerd --help'.\n".utf8))
        return ExitCode.usage
    }

    do {
        let app = try CustomerServerApp(configuration: configuration, logger: logger)
        try app.start()
        return app.runUntilTerminated()
    } catch {
        logger.critical("failed to start: \(error)", [("socket", configuration.socketPath), ("database", configuration.databasePath)])
        return ExitCode.startFailed
    }
}

exit(run())

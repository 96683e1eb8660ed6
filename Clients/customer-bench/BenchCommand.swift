import CommandLineKit
import CustomerClient
import ProductVersion

/// The command line of customer-bench, parsed without dependencies (help on stdout, errors on stderr).
enum BenchCommand {
    case help(String)
    case ping(PingOptions)
    case run(RunOptions)
    case codec(CodecCommand)
    case importRows(ImportCommand)
    case watch(WatchCommand)

    static let usageLine = "Usage: customer-bench run [<scenario> ...] [options] | customer-bench ping [options] "
        + "| customer-bench codec [options] | customer-bench import [options] | customer-bench watch [options]; see 'customer-bench --help'"

    static let overview = """
        OVERVIEW: Load and latency measurements for CustomerCard.

        USAGE: customer-bench <subcommand> | customer-bench --version

        SUBCOMMANDS:
          run                     The customer scenarios (get, card, list, create, ...) beside their floors.
          ping                    Health-check round trip beside a bare Unix-socket ping-pong.
          codec                   Encode and decode cost per call of the binary coder, beside JSON.
          import                  ImportCustomers into an empty database: rows/s.
          watch                   The change feed: events/s to 1 and 16 watchers under 64 writers, latency.

          See 'customer-bench help <subcommand>' for detailed help.
        """

    /// Every subcommand's `-h, --help`, in customer-bench's wording.
    static let helpOption = Option.flag("help", short: "h", help: "Show help information.")

    static let pingHelp = """
        OVERVIEW: Health-check round trip beside a bare Unix-socket ping-pong of the same byte counts.

        Measures p50/p99 latency and calls/s with 1 caller, N callers on one multiplexed
        connection and N callers on N connections; then the same byte counts over plain
        blocking sockets with 1 and N connections, and prints both with their ratio.

        Every health check has the deadline --timeout: a server that stops answering ends the
        command with one DEADLINE_EXCEEDED line and exit 1 within it (--timeout 0: none).

        USAGE: customer-bench ping \(PingOptions.signature.usage)


        """ + PingOptions.signature.help().dropLast(2)

    static func parse(_ arguments: [String]) throws(UsageError) -> BenchCommand {
        guard let subcommand = arguments.first else { return .help(overview) }
        switch subcommand {
        case "-h", "--help": return .help(overview)
        case "--version": return .help(CustomerCardVersion.line(for: "customer-bench"))
        case "help":
            guard arguments.count > 1 else { return .help(overview) }
            switch arguments[1] {
            case "ping": return .help(pingHelp)
            case "run": return .help(RunOptions.help)
            case "codec": return .help(CodecCommand.help)
            case "import": return .help(ImportCommand.help)
            case "watch": return .help(WatchCommand.help)
            default: throw UsageError("unknown subcommand '\(arguments[1])'")
            }
        case "ping":
            let rest = Array(arguments.dropFirst())
            if rest.contains("-h") || rest.contains("--help") { return .help(pingHelp) }
            return .ping(try PingOptions.parse(rest))
        case "run":
            let rest = Array(arguments.dropFirst())
            if rest.contains("-h") || rest.contains("--help") { return .help(RunOptions.help) }
            return .run(try RunOptions.parse(rest))
        case "codec":
            let rest = Array(arguments.dropFirst())
            if rest.contains("-h") || rest.contains("--help") { return .help(CodecCommand.help) }
            return .codec(try CodecCommand.parse(rest))
        case "import":
            let rest = Array(arguments.dropFirst())
            if rest.contains("-h") || rest.contains("--help") { return .help(ImportCommand.help) }
            return .importRows(try ImportCommand.parse(rest))
        case "watch":
            let rest = Array(arguments.dropFirst())
            if rest.contains("-h") || rest.contains("--help") { return .help(WatchCommand.help) }
            return .watch(try WatchCommand.parse(rest))
        default:
            throw UsageError("unknown subcommand '\(subcommand)'",
                             suggestion: Suggestion.closest(to: subcommand, among: ["ping", "run", "codec", "import", "watch"]))
        }
    }
}

/// Options of `customer-bench ping`.
struct PingOptions {
    var socketPath: String?
    var concurrency = 16
    var durationSeconds = 2.0
    var runs = 3
    var json = false
    var measureFloor = true
    /// The deadline of each health check; 0: none.
    var timeoutSeconds = CallDeadline.defaultSeconds

    /// Each health check's options: its deadline (`--timeout`, `CallDeadline`).
    var callOptions: CallOptions { CallDeadline.callOptions(seconds: timeoutSeconds) }

    static let socket = Option.value(
        "socket", "<path>", help: "Measure a running server instead of an in-process one.", completion: .file)
    static let connections = Option.value("connections", "<n>", help: "Concurrent callers and connections (default: 16).")
    static let duration = Option.value(
        "duration", "<seconds>", help: "Measured time per scenario and run, after a warm-up (default: 2).")
    static let runs = Option.value("runs", "<n>", help: """
        Rounds over all scenarios, interleaved so the RPC and the floor
        see the same machine load; the median round is shown (default: 3).
        """)
    static let noFloor = Option.flag("no-floor", help: "Skip the bare ping-pong (e.g. to profile only the RPC path).")
    static let json = Option.flag("json", help: "One JSON object per scenario instead of the table.")

    static let signature = Signature(options: [socket, connections, duration, runs, noFloor, json, CallDeadline.option,
                                               BenchCommand.helpOption])

    static func parse(_ arguments: [String]) throws(UsageError) -> PingOptions {
        let parsed = try signature.parse(arguments)
        var options = PingOptions()
        options.socketPath = parsed.value(socket)
        options.concurrency = try parsed.count(connections, in: 1...1024) ?? options.concurrency
        options.durationSeconds = try parsed.seconds(duration, allowZero: false) ?? options.durationSeconds
        options.runs = try parsed.count(runs, in: 1...100) ?? options.runs
        options.json = parsed.flag(json)
        options.measureFloor = !parsed.flag(noFloor)
        options.timeoutSeconds = try CallDeadline.seconds(parsed)
        return options
    }
}

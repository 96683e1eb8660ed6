import CommandLineKit

/// The command line of customer-bench, parsed without dependencies (help on stdout, errors on stderr).
enum BenchCommand {
    case help(String)
    case ping(PingOptions)
    case run(RunOptions)
    case codec(CodecCommand)

    static let usageLine = "Usage: customer-bench run [<scenario> ...] [options] | customer-bench ping [options] "
        + "| customer-bench codec [options]; see 'customer-bench --help'"

    static let overview = """
        OVERVIEW: Load and latency measurements for CustomerCard.

        USAGE: customer-bench <subcommand>

        SUBCOMMANDS:
          run                     The customer scenarios (get, card, list, create, ...) beside their floors.
          ping                    Health-check round trip beside a bare Unix-socket ping-pong.
          codec                   Encode and decode cost per call of the binary coder, beside JSON.

          See 'customer-bench help <subcommand>' for detailed help.
        """

    static let pingHelp = """
        OVERVIEW: Health-check round trip beside a bare Unix-socket ping-pong of the same byte counts.

        Measures p50/p99 latency and calls/s with 1 caller, N callers on one multiplexed
        connection and N callers on N connections; then the same byte counts over plain
        blocking sockets with 1 and N connections, and prints both with their ratio.

        USAGE: customer-bench ping [--socket <path>] [--connections <n>] [--duration <seconds>] [--runs <n>] [--no-floor] [--json]

        OPTIONS:
          --socket <path>         Measure a running server instead of an in-process one.
          --connections <n>       Concurrent callers and connections (default: 16).
          --duration <seconds>    Measured time per scenario and run, after a warm-up (default: 2).
          --runs <n>              Rounds over all scenarios, interleaved so the RPC and the floor
                                  see the same machine load; the median round is shown (default: 3).
          --no-floor              Skip the bare ping-pong (e.g. to profile only the RPC path).
          --json                  One JSON object per scenario instead of the table.
          -h, --help              Show help information.
        """

    static func parse(_ arguments: [String]) throws(UsageError) -> BenchCommand {
        guard let subcommand = arguments.first else { return .help(overview) }
        switch subcommand {
        case "-h", "--help": return .help(overview)
        case "help":
            guard arguments.count > 1 else { return .help(overview) }
            switch arguments[1] {
            case "ping": return .help(pingHelp)
            case "run": return .help(RunOptions.help)
            case "codec": return .help(CodecCommand.help)
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
        default:
            let hint = ["ping", "run", "codec"].first { $0.hasPrefix(subcommand.prefix(2)) }.map { " Did you mean '\($0)'?" } ?? ""
            throw UsageError("unknown subcommand '\(subcommand)'.\(hint)")
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

    static func parse(_ arguments: [String]) throws(UsageError) -> PingOptions {
        var options = PingOptions()
        var index = 0
        func value(for flag: String) throws(UsageError) -> String {
            index += 1
            guard index < arguments.count else { throw UsageError("missing value for '\(flag)'") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--socket":
                options.socketPath = try value(for: argument)
            case "--connections":
                let text = try value(for: argument)
                guard let count = Int(text), (1...1024).contains(count) else {
                    throw UsageError("'--connections' needs a number from 1 to 1024, not '\(text)'")
                }
                options.concurrency = count
            case "--duration":
                let text = try value(for: argument)
                guard let seconds = Double(text), seconds > 0, seconds <= 3600 else {
                    throw UsageError("'--duration' needs a positive number of seconds, not '\(text)'")
                }
                options.durationSeconds = seconds
            case "--runs":
                let text = try value(for: argument)
                guard let runs = Int(text), (1...100).contains(runs) else {
                    throw UsageError("'--runs' needs a number from 1 to 100, not '\(text)'")
                }
                options.runs = runs
            case "--json":
                options.json = true
            case "--no-floor":
                options.measureFloor = false
            default:
                let known = ["--socket", "--connections", "--duration", "--runs", "--no-floor", "--json"]
                let hint = known.first { $0.hasPrefix(String(argument.prefix(4))) }.map { " Did you mean '\($0)'?" } ?? ""
                throw UsageError("unknown option '\(argument)'.\(hint)")
            }
            index += 1
        }
        return options
    }
}

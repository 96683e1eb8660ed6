import CommandLineKit
import CustomerClient

/// Options every command accepts, anywhere on the line before `--`.
struct GlobalOptions: Sendable {
    var socketPath: String = DefaultEndpoint.socketPath()
    var output: OutputFormat = .table
    var timeoutSeconds: Double = 30
    /// The person a trusted service acts for (sent as `acting-for` metadata).
    var actingFor: String?
    /// Sent as the write's `idempotency-key`; nil: the client library sends a new one.
    var idempotencyKey: String?

    /// A year: far beyond any call, and its milliseconds fit the client's `Duration` (`inf` or 1e300 would trap).
    static let maxTimeoutSeconds: Double = 31_536_000

    static let helpLines = """
          --socket PATH          The server's socket. Default: $CUSTOMER_SOCKET, else
                                 $XDG_RUNTIME_DIR/customercard/customerd.sock, else /tmp/customercard-UID/customerd.sock.
          --output table|json    Aligned table for people (default) or JSON for programs
                                 (mailing-list also writes csv).
          --timeout SECONDS      Give up on a call after this long (DEADLINE_EXCEEDED); at most 31536000
                                 (a year). Default: 30.
          --as USER              Act for USER (trusted services only: see `customerctl users trust`);
                                 the call is checked and recorded as USER. Anyone else gets PERMISSION_DENIED.
          --idempotency-key KEY  Send the command's write with this key (1-128 of A-Z a-z 0-9 - _ . :).
                                 Run it again with the same KEY after a timeout: within 24 hours the server
                                 answers as the first time instead of writing twice. Default: a new key.
          -h, --help             Show help for the command.

        """

    /// Takes the global options out of `arguments`, wherever they stand, and returns the rest.
    static func extract(from arguments: [String]) throws(UsageError) -> (GlobalOptions, [String]) {
        var options = GlobalOptions()
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                rest.append(contentsOf: arguments[index...])
                break
            }
            let (name, inline) = split(argument)
            guard ["--socket", "--output", "--timeout", "--as", "--idempotency-key"].contains(name) else {
                rest.append(argument)
                index += 1
                continue
            }
            let value: String
            if let inline {
                value = inline
                index += 1
            } else if index + 1 < arguments.count {
                value = arguments[index + 1]
                index += 2
            } else {
                throw UsageError("option '\(name)' needs a value")
            }
            switch name {
            case "--socket":
                options.socketPath = value
            case "--as":
                options.actingFor = value
            case "--idempotency-key":
                if let problem = IdempotencyKey.problem(with: value) {
                    throw UsageError("--idempotency-key \(problem)")
                }
                options.idempotencyKey = value
            case "--output":
                guard let format = OutputFormat(rawValue: value) else {
                    throw UsageError("--output takes 'table', 'json' or (for mailing-list) 'csv', got '\(value)'")
                }
                options.output = format
            default:
                guard let seconds = Double(value), seconds > 0, seconds <= maxTimeoutSeconds else {
                    throw UsageError("--timeout takes a positive number of seconds up to \(Int(maxTimeoutSeconds)), got '\(value)'")
                }
                options.timeoutSeconds = seconds
            }
        }
        return (options, rest)
    }

    /// Per-call options: the timeout, the person acted for, and the idempotency key.
    var callOptions: CallOptions {
        var options = CallOptions(timeout: .milliseconds(Int64(timeoutSeconds * 1000)))
        if let actingFor { options.act(for: actingFor) }
        if let idempotencyKey { options.idempotencyKey = idempotencyKey }
        return options
    }

    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else {
            return (argument, nil)
        }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}

enum OutputFormat: String, Sendable {
    /// `csv` is accepted by the commands that produce a flat list for other tools (mailing-list);
    /// the others print a table instead.
    case table, json, csv
}

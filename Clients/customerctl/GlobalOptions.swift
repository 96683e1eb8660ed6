import CommandLineKit
import CustomerClient
import Foundation

/// Options every command accepts, anywhere on the line before `--`.
struct GlobalOptions: Sendable {
    var socketPath: String = DefaultEndpoint.socketPath()
    /// Whether the user named the socket (`--socket`, `CUSTOMER_SOCKET`); a default one is checked
    /// first (``DefaultSocketCheck``).
    var isSocketNamed = DefaultEndpoint.isNamed()
    var output: OutputFormat = .table
    var timeoutSeconds: Double = 30
    /// Whether `--timeout` was given: only then does it bound a call that runs until stopped (`watch`).
    var isTimeoutGiven = false
    /// The person a trusted service acts for (sent as `acting-for` metadata).
    var actingFor: String?
    /// Sent as the write's `idempotency-key`; nil: the client library sends a new one.
    var idempotencyKey: String?

    /// A year: far beyond any call, and its milliseconds fit the client's `Duration` (`inf` or 1e300 would trap).
    static let maxTimeoutSeconds: Double = 31_536_000

    static let socket = Option.value(
        "socket", "PATH", help: """
            The server's socket. Default: $CUSTOMER_SOCKET, else
            $XDG_RUNTIME_DIR/customercard/customerd.sock, else /tmp/customercard-UID/customerd.sock.
            A default socket, or its directory, of another user is refused, and so is a
            server there running as another user than you or root: name it to use it.
            """, completion: .file)
    static let output = Option.value(
        "output", "table|json", short: "o", help: """
            Aligned table for people (default) or JSON for programs
            (mailing-list also writes csv).
            """, choices: OutputFormat.allCases.map(\.rawValue))
    static let timeout = Option.value(
        "timeout", "SECONDS", help: """
            Give up on a call after this long (DEADLINE_EXCEEDED), and on connecting
            to the server (UNAVAILABLE); at most 31536000 (a year). Default: 30
            (watch: until stopped).
            """)
    static let actAs = Option.value(
        "as", "USER", help: """
            Act for USER (trusted services only: see `customerctl users trust`);
            the call is checked and recorded as USER. Anyone else gets PERMISSION_DENIED.
            """)
    static let idempotency = Option.value(
        "idempotency-key", "KEY", help: """
            Send the command's write with this key (1-128 of A-Z a-z 0-9 - _ . :).
            Run it again with the same KEY after a timeout: within 24 hours the server
            answers as the first time instead of writing twice. Default: a new key.
            """)

    static let all = [socket, output, timeout, actAs, idempotency]

    /// `customerctl --version`: alone on the line, instead of a command.
    static let version = Option.flag("version", help: "Print customerctl's version and exit.")

    /// The global options' help rows, at their own column (they are read apart from a command's).
    static let helpLines = HelpLayout.rows((all + [.help, version]).map(HelpLayout.row), column: 25)

    /// `[--socket PATH] [--output table|json] ...` for the overview's USAGE line.
    static let usage = all.map(\.usage).joined(separator: " ")

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
            let (name, inline) = ParsedArguments.split(argument)
            guard let option = all.first(where: { $0.spelling == name || $0.shortName.map { "-\($0)" } == name }) else {
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
            try option.check(value)
            try options.apply(option, value)
        }
        return (options, rest)
    }

    private mutating func apply(_ option: Option, _ value: String) throws(UsageError) {
        switch option {
        case Self.socket:
            socketPath = value
            isSocketNamed = true
        case Self.actAs:
            actingFor = value
        case Self.idempotency:
            if let problem = IdempotencyKey.problem(with: value) {
                throw UsageError("\(option.spelling) \(problem)")
            }
            idempotencyKey = value
        case Self.output:
            guard let format = OutputFormat(rawValue: value) else {
                throw UsageError("--output takes 'table', 'json' or (for mailing-list) 'csv', got '\(value)'",
                                 suggestion: Suggestion.closest(to: value, among: option.choices))
            }
            output = format
        default:
            guard let seconds = ParsedArguments.decimal(value), seconds > 0, seconds <= Self.maxTimeoutSeconds else {
                throw UsageError("--timeout takes a positive number of seconds up to \(Int(Self.maxTimeoutSeconds)), got '\(value)'")
            }
            timeoutSeconds = seconds
            isTimeoutGiven = true
        }
    }

    /// `--timeout`, the bound of each call and of connecting.
    var timeout: Duration { .milliseconds(Int64(timeoutSeconds * 1000)) }

    /// Per-call options: the timeout, the person acted for, and the idempotency key.
    var callOptions: CallOptions {
        var options = CallOptions(timeout: timeout)
        if let actingFor { options.act(for: actingFor) }
        if let idempotencyKey { options.idempotencyKey = idempotencyKey }
        return options
    }

    /// The options of a call that runs until stopped (`watch`): no deadline unless `--timeout`
    /// was given, since the default 30 s would end a watch that the tour and `help watch` say
    /// runs until Ctrl-C.
    var untilStoppedCallOptions: CallOptions {
        var options = callOptions
        if !isTimeoutGiven { options.timeout = nil }
        return options
    }
}

enum OutputFormat: String, Sendable, CaseIterable {
    /// `csv` is accepted by the commands that produce a flat list for other tools (mailing-list);
    /// the others print a table instead.
    case table, json, csv
}

import CommandLineKit

/// Options of `customer-bench run`.
struct RunOptions: Equatable {
    /// The scenarios `run` runs by default, in this order.
    static let scenarioNames = ["ping", "get", "card", "list", "create", "update", "mixed"]
    /// Scenarios run only when named: the list at a fixed depth, for the page-cost-by-depth check.
    static let onRequestScenarioNames = ["list-first", "list-deep", "create-keyed", "update-keyed"]

    var scenarios = RunOptions.scenarioNames
    /// A running server; `nil`: start `customerd` on a temporary, freshly seeded database.
    var socketPath: String?
    /// The `customerd` executable; `nil`: the one next to this executable.
    var serverExecutable: String?
    var customers = 100_000
    var connections = 1
    var inFlight = 1
    var durationSeconds = 2.0
    /// Measured calls per scenario instead of a duration (spread over the callers).
    var calls: Int?
    var warmUpSeconds = 0.5
    var durability = "normal"
    var json = false
    var measureFloor = true

    /// Concurrent callers: `inFlight` on each of `connections` connections.
    var callers: Int { connections * inFlight }

    static func parse(_ arguments: [String]) throws(UsageError) -> RunOptions {
        var options = RunOptions()
        var named: [String] = []
        var index = 0
        func value(for flag: String) throws(UsageError) -> String {
            index += 1
            guard index < arguments.count else { throw UsageError("missing value for '\(flag)'") }
            return arguments[index]
        }
        func integer(_ flag: String, _ range: ClosedRange<Int>) throws(UsageError) -> Int {
            let text = try value(for: flag)
            guard let number = Int(text.replacingOccurrences(of: "_", with: "")), range.contains(number) else {
                throw UsageError("'\(flag)' needs a number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
            }
            return number
        }
        func seconds(_ flag: String, allowZero: Bool) throws(UsageError) -> Double {
            let text = try value(for: flag)
            guard let seconds = Double(text), allowZero ? seconds >= 0 : seconds > 0, seconds <= 3600 else {
                throw UsageError("'\(flag)' needs a \(allowZero ? "non-negative" : "positive") number of seconds, not '\(text)'")
            }
            return seconds
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--socket": options.socketPath = try value(for: argument)
            case "--customerd": options.serverExecutable = try value(for: argument)
            case "--customers": options.customers = try integer(argument, 1...10_000_000)
            case "--connections": options.connections = try integer(argument, 1...1024)
            case "--in-flight": options.inFlight = try integer(argument, 1...1024)
            case "--duration": options.durationSeconds = try seconds(argument, allowZero: false)
            case "--calls": options.calls = try integer(argument, 1...100_000_000)
            case "--warmup": options.warmUpSeconds = try seconds(argument, allowZero: true)
            case "--durability":
                let mode = try value(for: argument)
                guard ["normal", "full"].contains(mode) else {
                    throw UsageError("'--durability' is normal or full, not '\(mode)'")
                }
                options.durability = mode
            case "--output":
                let format = try value(for: argument)
                guard ["json", "table"].contains(format) else {
                    throw UsageError("'--output' is json or table, not '\(format)'")
                }
                options.json = format == "json"
            case "--no-floor": options.measureFloor = false
            default:
                guard !argument.hasPrefix("-") else { throw UsageError("unknown option '\(argument)'") }
                let known = scenarioNames + onRequestScenarioNames
                guard known.contains(argument) else {
                    throw UsageError("unknown scenario '\(argument)' (one of: \(known.joined(separator: ", ")))")
                }
                named.append(argument)
            }
            index += 1
        }
        guard options.callers <= 4096 else {
            throw UsageError("--connections × --in-flight is at most 4096, not \(options.callers)")
        }
        if !named.isEmpty { options.scenarios = named }
        return options
    }

    static let help = """
        OVERVIEW: Load and latency of customerd's calls beside their floors, measured in the same run.

        Starts `customerd` (the executable next to this one) on a temporary database seeded through
        the store in bulk (each customer with 2 addresses, 3 contacts and 5 activities), or measures
        a running server with --socket. For each scenario: calls/s, p50/p90/p99/p99.9 latency, CPU
        time per call of this client (getrusage) and of the server process (/proc/PID/stat; its pid
        comes from SO_PEERCRED), server RSS (/proc/PID/status), and the ratio to its floor: a bare
        Unix-socket ping-pong of the same frame sizes (1 connection, and one per caller) plus an
        in-process SQLite read by primary key on a copy of the same database.

        USAGE: customer-bench run [<scenario> ...] [options]

        SCENARIOS (default: all, in this order):
          ping     rpc.health.v1.Health/Check
          get      GetCustomer by a random id
          card     GetCustomerCard, contact-information tab, random customer
          list     ListCustomers by name, 50 per page, from a random depth: the page tokens of the
                   whole listing are collected once before measuring, each call resumes at a random one
          create   CreateCustomer (acknowledged after commit: durable per --durability), sent
                   without an idempotency key
          update   UpdateCustomer of a random customer's phone number, without a key
          mixed    90 % get, 10 % update

        ON REQUEST (named only):
          list-first  ListCustomers by name, 50 per page: always page 1
          list-deep   the same, always page 10 000 (or the last page when there are fewer);
                      with list-first it shows whether a page's cost grows with its depth
          create-keyed, update-keyed
                      create and update with a new idempotency key each, as the client library
                      sends them: the server stores each answer with its key

        OPTIONS:
          --socket <path>          Measure a running server (its data must have customers 1...N).
          --customerd <path>       The server executable to start (default: next to customer-bench).
          --customers <n>          Customers to seed (default: 100000).
          --connections <n>        Connections (default: 1).
          --in-flight <n>          Calls in flight per connection (default: 1).
          --duration <seconds>     Measured time per scenario (default: 2).
          --calls <n>              Measured calls per scenario instead of a duration.
          --warmup <seconds>       Unmeasured time before each scenario (default: 0.5).
          --durability <mode>      normal or full: the server's SQLite synchronous level (default: normal).
          --output <format>        table (default) or json (one object per line).
          --no-floor               Skip the floors.
          -h, --help               Show help information.
        """
}

import CommandLineKit
import CustomerClient

/// Options of `customer-bench run`.
struct RunOptions: Equatable {
    /// The scenarios `run` runs by default, in this order.
    static let scenarioNames = ["ping", "get", "card", "list", "create", "update", "mixed"]
    /// Scenarios run only when named: the list at a fixed depth, for the page-cost-by-depth check.
    static let onRequestScenarioNames = ["list-first", "list-deep", "create-keyed", "update-keyed", "get-sync", "get-inline"]

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
    /// The deadline of each call to the server, the setup's and the measured ones; 0: none.
    var timeoutSeconds = CallDeadline.defaultSeconds
    /// How long to wait for the customerd it starts (`--start-timeout`).
    var startTimeoutSeconds = ServerStartWait.defaultSeconds

    /// Concurrent callers: `inFlight` on each of `connections` connections.
    var callers: Int { connections * inFlight }

    static let socket = Option.value(
        "socket", "<path>", help: "Measure a running server (its data must have customers 1...N).", completion: .file)
    static let customerd = Option.value(
        "customerd", "<path>", help: "The server executable to start (default: next to customer-bench).", completion: .file)
    static let customersOption = Option.value("customers", "<n>", help: "Customers to seed (default: 100000).")
    static let connectionsOption = Option.value("connections", "<n>", help: "Connections (default: 1).")
    static let inFlightOption = Option.value("in-flight", "<n>", help: "Calls in flight per connection (default: 1).")
    static let duration = Option.value("duration", "<seconds>", help: "Measured time per scenario (default: 2).")
    static let callsOption = Option.value("calls", "<n>", help: "Measured calls per scenario instead of a duration.")
    static let warmup = Option.value("warmup", "<seconds>", help: "Unmeasured time before each scenario (default: 0.5).")
    static let durabilityOption = Option.value(
        "durability", "<mode>", help: "normal or full: the server's SQLite synchronous level (default: normal).",
        choices: ["normal", "full"])
    static let output = Option.value(
        "output", "<format>", help: "table (default) or json (one object per line).", choices: ["table", "json"])
    static let noFloor = Option.flag("no-floor", help: "Skip the floors.")
    static let timeoutOption = CallDeadline.option
    static let startTimeoutOption = ServerStartWait.option
    static let scenario = Argument("<scenario>", optional: true)

    static let signature = Signature(
        arguments: [scenario],
        options: [socket, customerd, customersOption, connectionsOption, inFlightOption, duration, callsOption, warmup,
                  durabilityOption, output, noFloor, timeoutOption, startTimeoutOption, BenchCommand.helpOption],
        acceptsMoreArguments: true)

    static func parse(_ arguments: [String]) throws(UsageError) -> RunOptions {
        let parsed = try signature.parse(arguments)
        let known = scenarioNames + onRequestScenarioNames
        for name in parsed.positionals where !known.contains(name) {
            throw UsageError("unknown scenario '\(name)' (one of: \(known.joined(separator: ", ")))")
        }
        var options = RunOptions()
        if !parsed.positionals.isEmpty { options.scenarios = parsed.positionals }
        options.socketPath = parsed.value(socket)
        options.serverExecutable = parsed.value(customerd)
        options.customers = try parsed.count(customersOption, in: 1...10_000_000) ?? options.customers
        options.connections = try parsed.count(connectionsOption, in: 1...1024) ?? options.connections
        options.inFlight = try parsed.count(inFlightOption, in: 1...1024) ?? options.inFlight
        options.calls = try parsed.count(callsOption, in: 1...100_000_000)
        options.durationSeconds = try parsed.seconds(duration, allowZero: false) ?? options.durationSeconds
        options.warmUpSeconds = try parsed.seconds(warmup, allowZero: true) ?? options.warmUpSeconds
        options.durability = parsed.value(durabilityOption) ?? options.durability
        options.json = parsed.value(output) == "json"
        options.measureFloor = !parsed.flag(noFloor)
        options.timeoutSeconds = try CallDeadline.seconds(parsed)
        options.startTimeoutSeconds = try ServerStartWait.seconds(parsed)
        guard options.callers <= 4096 else {
            throw UsageError("\(connectionsOption.spelling) × \(inFlightOption.spelling) is at most 4096, not \(options.callers)")
        }
        options.scenarios = options.withCallShapesBesideGet(options.scenarios)
        return options
    }

    /// Each call's options: its deadline (`--timeout`, `CallDeadline`).
    var callOptions: CallOptions { CallDeadline.callOptions(seconds: timeoutSeconds) }

    /// With one caller on each of several connections, `get` is followed by `get-inline` and
    /// `get-sync` (unless named): the same calls made in the client's other two shapes, which cost
    /// one wake-up per call on the client where plain tasks cost two (docs/CLIENT.md), measured
    /// beside it against the same floor. Not with `--calls`, whose runs count syscalls and
    /// switches of the whole process and must run exactly the scenarios named.
    func withCallShapesBesideGet(_ names: [String]) -> [String] {
        guard connections > 1, inFlight == 1, calls == nil, let get = names.firstIndex(of: "get") else { return names }
        var names = names
        let shapes = ["get-inline", "get-sync"].filter { !names.contains($0) }
        names.insert(contentsOf: shapes, at: get + 1)
        return names
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

        Every call to the server, the setup's (health checks, page tokens, samples) and the
        measured ones, has the deadline --timeout: a server that stops answering ends the run with
        one DEADLINE_EXCEEDED line and exit 1 within it (--timeout 0: no deadline, as before
        customer-bench had one; the server then schedules none per call).

        USAGE: customer-bench run \(signature.usage)

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
          get-sync    get through the blocking API (ClientChannel.callBlocking): each caller is a
                      thread of its own that writes its request and reads its own response
          get-inline  get from tasks that prefer their channel's executor: each resumes on the
                      connection's reader thread, which writes their next calls in one batch
          With --connections above 1, --in-flight 1 and no --calls, get is followed by get-inline
          and get-sync (unless named): the client's three shapes of the same call, side by side.


        """ + signature.help().dropLast(2)
}

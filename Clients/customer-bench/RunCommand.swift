import CustomerClient
import Foundation
import SQLiteEngine

/// `customer-bench run`: seeds and starts a server (or uses `--socket`), then measures each
/// scenario and its floors in the same run.
struct RunCommand {
    let options: RunOptions

    func run() async -> Int32 {
        var database: BenchDatabase?
        var server: ServerProcess?
        defer {
            server?.stop()
            database?.remove()
        }
        do {
            let socketPath: String
            let serverPID: Int32?
            let report = RunReport(options: options)
            if let path = options.socketPath {
                socketPath = path
                serverPID = serverProcessID(socketPath: path)
            } else {
                let fresh = try BenchDatabase.makeTemporary()
                database = fresh
                let clock = ContinuousClock()
                let seedStart = clock.now
                try fresh.seed(customers: options.customers)
                report.note("seeded \(options.customers) customers (2 addresses, 3 contacts, 5 activities each) in "
                            + "\(TextFormat.fixed(seconds(clock.now - seedStart), 1)) s")
                let started = try await ServerProcess(executable: options.serverExecutable ?? ServerProcess.defaultExecutable(),
                                                      database: fresh, durability: options.durability,
                                                      startTimeoutSeconds: options.startTimeoutSeconds)
                server = started
                socketPath = fresh.socketPath
                serverPID = started.pid
                report.note("customerd (pid \(started.pid)) answered its first call \(TextFormat.fixed(started.startUpSeconds * 1000, 1)) ms "
                            + "after it was spawned; server RSS \(report.mebibytes(residentBytes(ofProcess: started.pid)))")
            }
            let clients = (0..<options.connections).map { _ in CustomerClient(socketPath: socketPath) }
            defer { clients.forEach { $0.close() } }
            for client in clients { _ = try await client.server.health(options: options.callOptions) }
            report.note("server RSS with \(options.connections) connection(s) open: "
                        + report.mebibytes(serverPID.flatMap(residentBytes(ofProcess:))))
            let tokens = try await collectPageTokens(clients[0], pages: pagesNeeded)
            if tokens.count > 1 {
                report.note("listing by name: the tokens of its first \(tokens.count) pages of \(CustomerScenario.pageSize) "
                            + "collected once")
            }
            let data = ScenarioData(customers: options.customers, pageTokens: tokens, callOptions: options.callOptions)
            var floors = FloorCache(options: options, database: database)
            report.printHeader()
            for name in options.scenarios {
                guard let scenario = CustomerScenario.named(name, data: data) else { continue }
                let messages = try await scenario.sampleMessages(clients[0])
                let frames = FrameSizes.unaryCall(methodName: scenario.method.fullName, requestMessage: messages.request,
                                                  responseMessage: messages.response, timeout: options.callOptions.timeout)
                let callers: [LoadCaller] = (0..<options.callers).map { index in
                    scenario.makeCaller(clients[index % clients.count], index)
                }
                let result = try await runLoad(callers: callers, warmUp: warmUp, length: length, serverPID: serverPID)
                let comparison = try await floors.comparison(for: name, frames: frames)
                report.printScenario(name, frames: frames, result: result, floor: comparison)
            }
            return 0
        } catch {
            StandardError.error(error)
            return 1
        }
    }

    private var warmUp: Duration { .milliseconds(Int64(options.warmUpSeconds * 1000)) }

    private var length: PhaseLength {
        options.calls.map { .calls($0) } ?? .duration(.milliseconds(Int64(options.durationSeconds * 1000)))
    }

    /// The page tokens the chosen scenarios use: every page's for `list` (at most 20 000), up to
    /// page 10 000 for `list-deep`, the first page's alone for `list-first`, none otherwise.
    private var pagesNeeded: Int {
        if options.scenarios.contains("list") { return 20_000 }
        if options.scenarios.contains("list-deep") { return CustomerScenario.deepPage }
        return options.scenarios.contains("list-first") ? 1 : 0
    }

    /// Walks the by-name listing once, keeping the tokens of its first `pages` pages (nil: page 1).
    private func collectPageTokens(_ client: CustomerClient, pages: Int) async throws -> [String?] {
        guard pages > 0 else { return [] }
        var tokens: [String?] = [nil]
        var token: String?
        while tokens.count < pages {
            token = try await client.customers.list(limit: CustomerScenario.pageSize, pageToken: token,
                                                  options: options.callOptions).nextPageToken
            guard let token else { break }
            tokens.append(token)
        }
        return tokens
    }
}

func seconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) + Double(attoseconds) / 1e18
}

/// The floors, each measured once per distinct shape in this run.
struct FloorCache {
    let options: RunOptions
    let database: BenchDatabase?
    private var bare: [String: LatencySamples] = [:]
    private var storage: [SQLiteFloor.Operation: LatencySamples] = [:]

    init(options: RunOptions, database: BenchDatabase?) {
        self.options = options
        self.database = database
    }

    /// Floors run for `--duration` even with `--calls`: only their rates and percentiles are compared.
    private var duration: Duration { .milliseconds(Int64(options.durationSeconds * 1000)) }
    private var warmUp: Duration { .milliseconds(Int64(options.warmUpSeconds * 1000)) }

    mutating func comparison(for scenario: String, frames: (request: Int, response: Int)) async throws -> FloorComparison? {
        guard options.measureFloor else { return nil }
        let one = try await barePingPong(connections: 1, frames: frames)
        let many = options.callers == 1 ? one : try await barePingPong(connections: min(256, options.callers), frames: frames)
        let operation: SQLiteFloor.Operation? = switch scenario {
        case "ping": nil
        case "create", "update": .insert
        default: .read
        }
        var storageP50: Double?
        if let operation, let database {
            if storage[operation] == nil {
                guard let synchronous = SynchronousLevel(rawValue: options.durability.uppercased()) else {
                    throw BenchFailure("no SQLite synchronous level for durability '\(options.durability)'")
                }
                storage[operation] = try await SQLiteFloor(path: database.floorCopyPath, customers: options.customers,
                                                           operation: operation, synchronous: synchronous)
                    .run(warmUp: warmUp, duration: duration)
            }
            storageP50 = storage[operation]?.percentileMicroseconds(0.5)
        }
        return FloorComparison(barePingPongP50: one.percentileMicroseconds(0.5),
                               barePingPongCallsPerSecond: many.callsPerSecond, storageP50: storageP50)
    }

    func storageSamples(_ operation: SQLiteFloor.Operation) -> LatencySamples? { storage[operation] }

    private mutating func barePingPong(connections: Int, frames: (request: Int, response: Int)) async throws -> LatencySamples {
        let key = "\(connections)/\(frames.request)/\(frames.response)"
        if let known = bare[key] { return known }
        let samples = try await BarePingPongScenario(name: key, connections: connections, requestBytes: frames.request,
                                                     responseBytes: frames.response).run(warmUp: warmUp, duration: duration)
        bare[key] = samples
        return samples
    }
}

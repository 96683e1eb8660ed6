import BinaryCoding
import Foundation
import ServiceLog
import RPCClient
import RPCServing

/// `customer-bench ping`: the RPC health check beside the bare socket floor, same run, same bytes.
struct PingCommand {
    let options: PingOptions

    /// One row of the report: an RPC scenario and the bare floor it is compared with.
    struct Row {
        let rpc: any Scenario
        let floor: any Scenario
    }

    func run() async -> Int32 {
        var temporaryServer: (server: RPCServer, directory: String)?
        let socketPath: String
        if let path = options.socketPath {
            socketPath = path
        } else {
            do {
                temporaryServer = try Self.startInProcessServer()
            } catch {
                StandardError.error(error, "cannot start the in-process server: ")
                return 1
            }
            socketPath = (temporaryServer?.directory ?? "") + "/bench.sock"
        }
        defer {
            if let temporaryServer {
                temporaryServer.server.shutdown()
                try? FileManager.default.removeItem(atPath: temporaryServer.directory)
            }
        }
        let sizes: (request: Int, response: Int)
        do {
            sizes = try Self.healthCheckFrameSizes(timeout: options.callOptions.timeout)
        } catch {
            StandardError.error(error)
            return 1
        }
        let callers = options.concurrency
        func floor(_ connections: Int) -> BarePingPongScenario {
            BarePingPongScenario(name: "bare, \(connections) connection\(connections == 1 ? "" : "s")", connections: connections,
                                 requestBytes: sizes.request, responseBytes: sizes.response)
        }
        let rows = [
            Row(rpc: HealthCheckScenario(name: "1 caller, 1 connection", socketPath: socketPath, callers: 1, connections: 1,
                                         options: options.callOptions),
                floor: floor(1)),
            Row(rpc: HealthCheckScenario(name: "\(callers) callers, 1 connection", socketPath: socketPath,
                                         callers: callers, connections: 1, options: options.callOptions), floor: floor(callers)),
            Row(rpc: HealthCheckScenario(name: "\(callers) callers, \(callers) connections", socketPath: socketPath,
                                         callers: callers, connections: callers, options: options.callOptions), floor: floor(callers)),
        ]
        let report = PingReport(json: options.json, requestBytes: sizes.request, responseBytes: sizes.response,
                                socketPath: options.socketPath)
        report.printHeader(durationSeconds: options.durationSeconds, runs: options.runs)
        let scenarios: [any Scenario] = rows.flatMap { options.measureFloor ? [$0.rpc, $0.floor] : [$0.rpc] }
        let results: [String: LatencySamples]
        do {
            results = try await Self.measure(scenarios, runs: options.runs,
                                             duration: .milliseconds(Int64(options.durationSeconds * 1000)))
        } catch {
            StandardError.error(error)
            return 1
        }
        for row in rows {
            report.printRow(rpcName: row.rpc.name, rpc: results[row.rpc.name] ?? LatencySamples(),
                            floorName: row.floor.name, floor: results[row.floor.name] ?? LatencySamples())
        }
        return 0
    }

    /// Runs every distinct scenario once per round, rounds after each other, and keeps for each the
    /// round with the median throughput: load from other processes hits RPC and floor alike.
    static func measure(_ scenarios: [any Scenario], runs: Int, duration: Duration) async throws -> [String: LatencySamples] {
        var seen = Set<String>()
        let distinct = scenarios.filter { seen.insert($0.name).inserted }
        var rounds: [String: [LatencySamples]] = [:]
        for _ in 0..<runs {
            for scenario in distinct {
                let samples = try await scenario.run(warmUp: .milliseconds(500), duration: duration)
                rounds[scenario.name, default: []].append(samples)
            }
        }
        return rounds.mapValues { samples in
            let sorted = samples.sorted { $0.callsPerSecond < $1.callsPerSecond }
            return sorted[sorted.count / 2]
        }
    }

    private static func startInProcessServer() throws -> (server: RPCServer, directory: String) {
        let directory = FileManager.default.temporaryDirectory.path + "/customer-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        var configuration = ServerConfiguration(socketPath: directory + "/bench.sock")
        configuration.serverName = "customer-bench"
        let server = RPCServer(configuration: configuration, services: [], logger: Logger(label: "customer-bench", level: .warning))
        try server.start()
        return (server, directory)
    }

    /// The frame sizes of one health check with the deadline `timeout` (nil: none).
    static func healthCheckFrameSizes(timeout: Duration?) throws -> (request: Int, response: Int) {
        FrameSizes.unaryCall(methodName: RPCHealth.Check.descriptor.fullName,
                             requestMessage: try BinaryEncoder().encode(HealthCheckRequest()).count,
                             responseMessage: try BinaryEncoder().encode(HealthCheckResponse(status: .serving)).count,
                             timeout: timeout)
    }
}

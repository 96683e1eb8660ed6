/// Prints `run`'s results: a table with a floor line under each scenario, or one JSON object per line.
struct RunReport {
    let options: RunOptions

    private static let fractions = [0.5, 0.9, 0.99, 0.999]

    /// A line about the set-up (stderr in JSON mode, so stdout stays parseable).
    func note(_ text: String) {
        if options.json { StandardError.write(text + "\n") } else { print(text) }
    }

    func mebibytes(_ bytes: UInt64?) -> String {
        bytes.map { TextFormat.fixed(Double($0) / 1_048_576, 1) + " MiB" } ?? "n/a"
    }

    func printHeader() {
        guard !options.json else { return }
        let length = options.calls.map { "\($0) calls" } ?? "\(TextFormat.fixed(options.durationSeconds, 1)) s"
        print("\(options.connections) connection(s) × \(options.inFlight) call(s) in flight = \(options.callers) caller(s); "
              + "\(length) measured after \(TextFormat.fixed(options.warmUpSeconds, 1)) s warm-up; durability \(options.durability); "
              + (BuildMode.isDebug ? "DEBUG BUILD (meaningless numbers)" : "release build"))
        print("CPU/call: client from getrusage(RUSAGE_SELF), server from /proc/PID/stat (10 ms ticks); RSS from /proc/PID/status")
        print("")
        let columns: [(String, Int)] = [("scenario", 9), ("calls/s", 10), ("p50 µs", 9), ("p90 µs", 9), ("p99 µs", 9),
                                        ("p99.9 µs", 10), ("client CPU µs", 14), ("server CPU µs", 14), ("server RSS", 12)]
        print(columns.enumerated().map { TextFormat.pad($1.0, $1.1, right: $0 > 0) }.joined())
    }

    func printScenario(_ name: String, frames: (request: Int, response: Int), result: LoadResult, floor: FloorComparison?) {
        let samples = result.samples
        let quantiles = samples.percentilesMicroseconds(Self.fractions)
        let client = result.cpuMicrosecondsPerCall(result.clientCPUNanoseconds)
        let server = result.cpuMicrosecondsPerCall(result.serverCPUNanoseconds)
        if options.json {
            var fields = [
                "\"scenario\":\"\(name)\"", "\"connections\":\(options.connections)", "\"inFlight\":\(options.inFlight)",
                "\"durability\":\"\(options.durability)\"", "\"debugBuild\":\(BuildMode.isDebug)",
                "\"calls\":\(samples.count)", "\"callsPerSecond\":\(TextFormat.fixed(samples.callsPerSecond, 0))",
                "\"p50Microseconds\":\(TextFormat.fixed(quantiles[0], 1))", "\"p90Microseconds\":\(TextFormat.fixed(quantiles[1], 1))",
                "\"p99Microseconds\":\(TextFormat.fixed(quantiles[2], 1))", "\"p999Microseconds\":\(TextFormat.fixed(quantiles[3], 1))",
                "\"clientCPUMicrosecondsPerCall\":\(client.map { TextFormat.fixed($0, 1) } ?? "null")",
                "\"serverCPUMicrosecondsPerCall\":\(server.map { TextFormat.fixed($0, 1) } ?? "null")",
                "\"serverRSSBytes\":\(result.serverRSSBytes.map { String($0) } ?? "null")",
                "\"requestFrameBytes\":\(frames.request)", "\"responseFrameBytes\":\(frames.response)",
            ]
            if let floor {
                fields.append("\"floor\":{\"barePingPongP50Microseconds\":\(TextFormat.fixed(floor.barePingPongP50, 1)),"
                              + "\"barePingPongCallsPerSecond\":\(TextFormat.fixed(floor.barePingPongCallsPerSecond, 0)),"
                              + "\"storageP50Microseconds\":\(floor.storageP50.map { TextFormat.fixed($0, 1) } ?? "null"),"
                              + "\"p50Ratio\":\(TextFormat.fixed(floor.latencyRatio(p50: quantiles[0]), 2)),"
                              + "\"throughputRatio\":\(TextFormat.fixed(floor.throughputRatio(callsPerSecond: samples.callsPerSecond), 2))}")
            }
            print("{" + fields.joined(separator: ",") + "}")
            return
        }
        let cells = [TextFormat.pad(name, 9), TextFormat.pad(TextFormat.fixed(samples.callsPerSecond, 0), 10, right: true)]
            + quantiles.enumerated().map { TextFormat.pad(TextFormat.fixed($1, 1), $0 == 3 ? 10 : 9, right: true) }
            + [client, server].map { TextFormat.pad($0.map { TextFormat.fixed($0, 1) } ?? "n/a", 14, right: true) }
            + [TextFormat.pad(mebibytes(result.serverRSSBytes), 12, right: true)]
        print(cells.joined())
        guard let floor else { return }
        let storage = floor.storageP50.map { " + storage p50 \(TextFormat.fixed($0, 1)) µs" } ?? ""
        let many = min(256, options.callers)
        print("  floor (frames \(frames.request)/\(frames.response) B): bare 1-conn p50 \(TextFormat.fixed(floor.barePingPongP50, 1)) µs"
              + storage + "; bare \(many)-conn \(TextFormat.fixed(floor.barePingPongCallsPerSecond, 0)) calls/s"
              + "  →  p50 \(TextFormat.fixed(floor.latencyRatio(p50: quantiles[0]), 2))× floor, "
              + "calls/s \(TextFormat.fixed(floor.throughputRatio(callsPerSecond: samples.callsPerSecond), 2))× bare")
    }
}

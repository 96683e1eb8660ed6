/// Prints the ping results: a table with the floor beside each RPC row, or JSON lines.
struct PingReport {
    let json: Bool
    let requestBytes: Int
    let responseBytes: Int
    let socketPath: String?

    func printHeader(durationSeconds: Double, runs: Int) {
        guard !json else { return }
        let target = socketPath.map { "server at \($0)" } ?? "in-process server"
        print("customer-bench ping: rpc.health.v1.Health/Check against the \(target)")
        print("frames: \(requestBytes)-byte request, \(responseBytes)-byte response; "
              + "\(format(durationSeconds, 1)) s measured per scenario after 0.5 s warm-up, median of \(runs) interleaved runs; "
              + "\(BuildMode.isDebug ? "DEBUG build (meaningless)" : "release build")")
        print("")
        print(pad("RPC scenario", 28) + pad("calls/s", 10, right: true) + pad("p50 µs", 9, right: true) + pad("p99 µs", 9, right: true)
              + "  | " + pad("bare floor", 20) + pad("calls/s", 10, right: true) + pad("p50 µs", 9, right: true)
              + pad("p99 µs", 9, right: true) + "  | " + pad("p50 ratio", 10, right: true) + pad("thru ratio", 11, right: true))
    }

    func printRow(rpcName: String, rpc: LatencySamples, floorName: String, floor: LatencySamples) {
        let latencyRatio = floor.percentileMicroseconds(0.5) > 0 ? rpc.percentileMicroseconds(0.5) / floor.percentileMicroseconds(0.5) : 0
        let throughputRatio = floor.callsPerSecond > 0 ? rpc.callsPerSecond / floor.callsPerSecond : 0
        if json {
            print("{\"scenario\":\"\(rpcName)\",\"callsPerSecond\":\(format(rpc.callsPerSecond, 0)),"
                  + "\"p50Microseconds\":\(format(rpc.percentileMicroseconds(0.5), 1)),"
                  + "\"p99Microseconds\":\(format(rpc.percentileMicroseconds(0.99), 1)),\"samples\":\(rpc.count),"
                  + "\"floor\":{\"scenario\":\"\(floorName)\",\"callsPerSecond\":\(format(floor.callsPerSecond, 0)),"
                  + "\"p50Microseconds\":\(format(floor.percentileMicroseconds(0.5), 1)),"
                  + "\"p99Microseconds\":\(format(floor.percentileMicroseconds(0.99), 1))},"
                  + "\"p50Ratio\":\(format(latencyRatio, 2)),\"throughputRatio\":\(format(throughputRatio, 2))}")
            return
        }
        print(pad(rpcName, 28) + pad(format(rpc.callsPerSecond, 0), 10, right: true)
              + pad(format(rpc.percentileMicroseconds(0.5), 1), 9, right: true)
              + pad(format(rpc.percentileMicroseconds(0.99), 1), 9, right: true)
              + "  | " + pad(floorName, 20) + pad(format(floor.callsPerSecond, 0), 10, right: true)
              + pad(format(floor.percentileMicroseconds(0.5), 1), 9, right: true)
              + pad(format(floor.percentileMicroseconds(0.99), 1), 9, right: true)
              + "  | " + pad(format(latencyRatio, 2) + "x", 10, right: true) + pad(format(throughputRatio, 2) + "x", 11, right: true))
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String { TextFormat.pad(text, width, right: right) }

    private func format(_ value: Double, _ decimals: Int) -> String { TextFormat.fixed(value, decimals) }
}

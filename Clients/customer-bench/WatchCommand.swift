import CommandLineKit
import CustomerClient
import Foundation

/// `customer-bench watch`: the change feed under load. 64 writers create customers while 1, then
/// 16, watchers follow the feed; reports events/s delivered and the latency from commit to delivery.
struct WatchCommand {
    var watcherCounts = [1, 16]
    var writers = 64
    var seconds = 5
    var serverExecutable: String?
    var durability = "normal"
    var startTimeoutSeconds = ServerStartWait.defaultSeconds

    static let watchersOption = Option.value("watchers", "<n,n,...>", help: "Watcher counts to run, one run each (default: 1,16).")
    static let writersOption = Option.value("writers", "<n>", help: "Concurrent writers creating customers (default: 64).")
    static let secondsOption = Option.value("seconds", "<n>", help: "Measured seconds per run, after 1 s of warm-up (default: 5).")

    static let signature = Signature(options: [watchersOption, writersOption, secondsOption, RunOptions.customerd,
                                               RunOptions.durabilityOption, ServerStartWait.option, BenchCommand.helpOption])

    static let help = """
        OVERVIEW: Events/s the change feed delivers to N watchers while writers create customers, and the
        latency from commit to delivery (p50/p99).

        Each run starts a server on an empty database. Writers (8 connections) create customers
        for the whole run; each watcher has a connection of its own and follows WatchChanges from
        the feed's end. Latency is the delivery time minus the event's `at`, the time the server
        stamped inside the write's transaction (the same machine's clock, millisecond resolution).

        USAGE: customer-bench watch \(signature.usage)


        """ + signature.help().dropLast(2)

    static func parse(_ arguments: [String]) throws(UsageError) -> WatchCommand {
        let parsed = try signature.parse(arguments)
        var command = WatchCommand()
        if let list = parsed.value(watchersOption) {
            command.watcherCounts = try list.split(separator: ",").map { text throws(UsageError) in
                guard let count = Int(text), (1...256).contains(count) else {
                    throw UsageError("--watchers needs counts from 1 to 256, got '\(text)'")
                }
                return count
            }
        }
        command.writers = try parsed.count(writersOption, in: 1...1_024) ?? command.writers
        command.seconds = try parsed.count(secondsOption, in: 1...3_600) ?? command.seconds
        command.serverExecutable = parsed.value(RunOptions.customerd)
        command.durability = parsed.value(RunOptions.durabilityOption) ?? command.durability
        command.startTimeoutSeconds = try ServerStartWait.seconds(parsed)
        return command
    }

    func run() async -> Int32 {
        do {
            for watchers in watcherCounts { try await run(watchers: watchers) }
            return 0
        } catch {
            StandardError.error(error)
            return 1
        }
    }

    private func run(watchers: Int) async throws {
        let database = try BenchDatabase.makeTemporary()
        defer { database.remove() }
        try database.seed(customers: 0)
        let server = try await ServerProcess(executable: serverExecutable ?? ServerProcess.defaultExecutable(),
                                             database: database, durability: durability,
                                                 startTimeoutSeconds: startTimeoutSeconds)
        defer { server.stop() }
        let writerClients = (0..<8).map { _ in CustomerClient(socketPath: database.socketPath) }
        let watcherClients = (0..<watchers).map { _ in CustomerClient(socketPath: database.socketPath) }
        defer { for client in writerClients + watcherClients { client.close() } }
        let start = try await writerClients[0].changes.bounds().last

        let clock = ContinuousClock()
        let measureFrom = clock.now + .seconds(1)
        let stopAt = measureFrom + .seconds(seconds)
        // Watchers follow until cancelled once the writers stop (a watch never ends by itself).
        let watching = watcherClients.map { client in
            Task {
                var samples = LatencySamples(reservingCapacity: 1 << 16)
                do {
                    for try await event in client.changes.watch(after: start) {
                        let now = clock.now
                        if now >= measureFrom, now < stopAt {
                            let milliseconds = max(0, Date().timeIntervalSince(event.at) * 1_000)
                            samples.record(.microseconds(Int64(milliseconds * 1_000)))
                        }
                    }
                } catch {
                    // Cancelled at the end of the run: the samples so far are the result.
                }
                return samples
            }
        }
        let created = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<writers {
                let client = writerClients[index % writerClients.count]
                group.addTask {
                    var created = 0
                    while clock.now < stopAt {
                        _ = try await client.customers.create(CustomerFields(name: "Watched \(index)-\(created)"))
                        created += 1
                    }
                    return created
                }
            }
            return try await group.reduce(0, +)
        }
        var samples = LatencySamples()
        for task in watching {
            task.cancel()
            samples.merge(await task.value)
        }
        samples.elapsedSeconds = Double(seconds)
        let (p50, p99) = (samples.percentileMicroseconds(0.5) / 1_000, samples.percentileMicroseconds(0.99) / 1_000)
        print("watch: \(watchers) watcher\(watchers == 1 ? "" : "s"), \(writers) writers: "
              + "\(Int(samples.callsPerSecond)) events/s delivered in all (\(Int(samples.callsPerSecond) / watchers) per watcher), "
              + "\(created) customers created; commit to delivery p50 \(TextFormat.fixed(p50, 1)) ms, "
              + "p99 \(TextFormat.fixed(p99, 1)) ms")
    }
}

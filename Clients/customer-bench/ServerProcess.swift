import CommandLineKit
import CustomerClient
import Foundation
import Glibc

/// A `customerd` this tool started on its temporary database, stopped with SIGTERM at the end.
final class ServerProcess {
    let process: ChildProcess
    /// From spawning the process to its first answered health check.
    let startUpSeconds: Double

    var pid: Int32 { process.pid }

    /// Waits up to `startTimeoutSeconds` (`--start-timeout`) for its first answered health check.
    init(executable: String, database: BenchDatabase, durability: String,
         startTimeoutSeconds: Double) async throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchFailure("no customerd at \(executable): build it (swift build -c release --product customerd) "
                               + "or pass --customerd <path>")
        }
        let clock = ContinuousClock()
        let started = clock.now
        let startTimeout = Duration.seconds(startTimeoutSeconds)
        process = try ChildProcess.spawn(executable, ["--socket", database.socketPath, "--database", database.path,
                                                      "--durability", durability, "--log-level", "warning"])
        let client = CustomerClient(socketPath: database.socketPath)
        defer { client.close() }
        while true {
            if (try? await client.server.health()) != nil { break }
            guard process.isRunning else {
                throw BenchFailure("customerd exited with status \(process.terminationStatus.map(String.init) ?? "unknown")")
            }
            guard clock.now - started < startTimeout else {
                process.terminate()
                throw BenchFailure("customerd did not answer within \(TextFormat.fixed(startTimeoutSeconds, 1)) s "
                                   + "(a slower start, as under valgrind: --start-timeout <seconds>)")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        let (seconds, attoseconds) = (clock.now - started).components
        startUpSeconds = Double(seconds) + Double(attoseconds) / 1e18
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    /// The `customerd` built beside this executable (`swift build` puts all products in one directory).
    static func defaultExecutable() -> String {
        let bench = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: bench).deletingLastPathComponent().appendingPathComponent("customerd").path
    }
}

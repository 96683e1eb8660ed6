import CommandLineKit
import SQLiteEngine

/// The storage floors, in-process through the store's own engine on a copy of the same database:
/// a read by primary key, and a one-row INSERT in its own transaction (WAL, at the server's
/// `synchronous` level) into a scratch table.
///
/// What it measures: SQLite's cost of the step plus the engine's statement-cache lookup, reset
/// and rebinding (what every store statement pays): no RPC, no transaction around the read, no
/// row decoding beyond one column, no validation or history. A call's distance from this floor is
/// what the server and the store add.
struct SQLiteFloor {
    enum Operation: String, Sendable {
        case read, insert
    }

    let path: String
    let customers: Int
    let operation: Operation
    /// The server's level.
    let synchronous: SynchronousLevel

    func run(warmUp: Duration, duration: Duration) async throws -> LatencySamples {
        let floor = self
        return try await runOnThread {
            let step: () throws -> Void
            let connection: SQLiteConnection
            switch floor.operation {
            case .read:
                // The copy is in WAL mode (the server's file was), so a reader opens it as the store's readers do.
                connection = try SQLiteConnection(path: floor.path, role: .reader, busyTimeoutMilliseconds: 5_000)
                let random = CallerState(caller: 0)
                let maxID = Int64(max(1, floor.customers))
                step = {
                    try connection.withStatement("SELECT * FROM customers WHERE id = ?") { select in
                        try select.bind(random.int64(in: 1...maxID), at: 1)
                        guard try select.step() else { throw BenchFailure("floor: no customer row") }
                        _ = select.optionalText(2)
                    }
                }
            case .insert:
                connection = try SQLiteConnection(path: floor.path, role: .writer, busyTimeoutMilliseconds: 5_000)
                try connection.enableWAL(synchronous: floor.synchronous)
                try connection.execute("CREATE TABLE IF NOT EXISTS floor_writes (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
                step = {
                    try connection.transaction("BEGIN IMMEDIATE") {
                        try connection.run("INSERT INTO floor_writes (name) VALUES ('Bench Oy')")
                    }
                }
            }
            defer { connection.close() }
            let clock = ContinuousClock()
            let warmUpEnd = clock.now + warmUp
            while clock.now < warmUpEnd { try step() }
            var samples = LatencySamples(reservingCapacity: 1 << 16)
            let started = clock.now
            while true {
                let start = clock.now
                if start - started >= duration { break }
                try step()
                samples.record(start.duration(to: clock.now))
            }
            let (seconds, attoseconds) = (clock.now - started).components
            samples.elapsedSeconds = Double(seconds) + Double(attoseconds) / 1e18
            return samples
        }
    }
}

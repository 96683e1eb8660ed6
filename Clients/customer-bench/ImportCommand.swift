import CommandLineKit
import CustomerClient
import Foundation

/// `customer-bench import`: starts a server on an empty database and imports generated rows
/// through ImportCustomers (the call `customerctl customers import` makes), reporting rows/s.
struct ImportCommand {
    var rows = 1_000_000
    var serverExecutable: String?
    var durability = "normal"
    var startTimeoutSeconds = ServerStartWait.defaultSeconds
    var withChildren = false

    static let rowsOption = Option.value("rows", "<n>", help: "Rows to import (default: 1000000).")
    static let children = Option.flag("with-children", help: "Give each row a head office address and a first contact.")

    static let signature = Signature(options: [rowsOption, children, RunOptions.customerd, RunOptions.durabilityOption,
                                               ServerStartWait.option, BenchCommand.helpOption])

    static let help = """
        OVERVIEW: Imports generated customers through ImportCustomers into an empty database and reports rows/s.

        The rows are generated in memory first (not timed); the time runs from the call's start to its
        answer, so it covers the client stream, every row's checks and the one transaction's commit.

        USAGE: customer-bench import \(signature.usage)


        """ + signature.help().dropLast(2)

    static func parse(_ arguments: [String]) throws(UsageError) -> ImportCommand {
        let parsed = try signature.parse(arguments)
        var command = ImportCommand()
        command.rows = try parsed.count(rowsOption, in: 1...10_000_000) ?? command.rows
        command.serverExecutable = parsed.value(RunOptions.customerd)
        command.durability = parsed.value(RunOptions.durabilityOption) ?? command.durability
        command.startTimeoutSeconds = try ServerStartWait.seconds(parsed)
        command.withChildren = parsed.flag(children)
        return command
    }

    func run() async -> Int32 {
        let database: BenchDatabase
        do {
            database = try BenchDatabase.makeTemporary()
        } catch {
            StandardError.error(error)
            return 1
        }
        defer { database.remove() }
        do {
            try database.seed(customers: 0)
            let server = try await ServerProcess(executable: serverExecutable ?? ServerProcess.defaultExecutable(),
                                                 database: database, durability: durability,
                                                 startTimeoutSeconds: startTimeoutSeconds)
            defer { server.stop() }
            let client = CustomerClient(socketPath: database.socketPath)
            defer { client.close() }
            let records = (0..<rows).map(record)
            let clock = ContinuousClock()
            let serverCPU = CPUTime.ofProcess(server.pid)
            let clientCPU = CPUTime.ofThisProcess()
            let start = clock.now
            let answer = try await client.customers.importRecords(ImportOptions()) { send in
                var offset = 0
                while offset < records.count {
                    let end = min(offset + ImportCustomersMessage.maxRows, records.count)
                    try await send(Array(records[offset..<end]))
                    offset = end
                }
            }
            let (seconds, attoseconds) = (clock.now - start).components
            let elapsed = Double(seconds) + Double(attoseconds) / 1e18
            // On a shared machine the wall clock says as much about the neighbours as about the
            // import, so the CPU each side spent is reported too: rows per server CPU second is the
            // rate the server would reach with a core to itself.
            let serverSeconds = Self.seconds(CPUTime.ofProcess(server.pid), since: serverCPU)
            let clientSeconds = Self.seconds(CPUTime.ofThisProcess(), since: clientCPU)
            print("import: \(answer.imported) of \(rows) rows\(withChildren ? " (with address and contact)" : "") in "
                  + "\(TextFormat.fixed(elapsed, 2)) s: \(Int(Double(answer.imported) / elapsed)) rows/s "
                  + "(durability \(durability))")
            print("  server CPU \(TextFormat.fixed(serverSeconds, 2)) s (\(Int(Double(answer.imported) / max(serverSeconds, 0.01))) "
                  + "rows per CPU second), client CPU \(TextFormat.fixed(clientSeconds, 2)) s")
            return answer.imported == rows ? 0 : 1
        } catch {
            StandardError.error(error)
            return 1
        }
    }

    private static func seconds(_ now: CPUTime?, since start: CPUTime?) -> Double {
        guard let now, let start else { return 0 }
        return Double(now.nanoseconds &- start.nanoseconds) / 1e9
    }

    /// The `index`th generated row: unique name, email and phone, so every check has work to do.
    private func record(_ index: Int) -> CustomerRecord {
        CustomerRecord(
            line: Int64(index + 2),
            fields: CustomerFields(name: "Import \(index) Oy", country: "FI", email: "office\(index)@example.com",
                                   phone: "+358 9 \(100_000 + index)"),
            address: withChildren
                ? AddressFields(street1: "Katu \(index)", postalCode: "00100", city: "Helsinki", country: "FI") : nil,
            contact: withChildren ? ContactFields(firstName: "Anna", lastName: "Import \(index)", email: "anna\(index)@example.com") : nil)
    }
}

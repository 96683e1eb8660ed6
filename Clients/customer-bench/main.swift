// customer-bench: load and latency measurements for CustomerCard.
// `run`: the customer scenarios beside their floors; `ping`: the RPC health-check round trip beside
// a bare Unix-socket ping-pong of the same byte counts. Both measure floor and service in the same run.
// `codec`: the binary coder's cost per encode and decode, in process, beside Foundation's JSON.
// `import`: ImportCustomers into an empty database, in rows/s.
// `watch`: the change feed's events/s to 1 and 16 watchers under 64 writers, commit-to-delivery latency.
import CommandLineKit
import Glibc
import ServiceLog

let command: BenchCommand
do {
    command = try BenchCommand.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    // The operator's argument is quoted in it: its control characters escaped as customerd's and
    // customerctl's usage errors write them (redteam30).
    StandardError.write("Error: \(UsageError.description(of: error, escaping: TerminalText.escaped))\n\(BenchCommand.usageLine)\n")
    exit(64)
}
// Measurements only: help and --version are not numbers to be misread.
if case .help = command {} else { BuildMode.warnIfDebug() }
switch command {
case .help(let text):
    print(text)
case .ping(let options):
    exit(await PingCommand(options: options).run())
case .run(let options):
    exit(await RunCommand(options: options).run())
case .importRows(let command):
    exit(await command.run())
case .watch(let command):
    exit(await command.run())
case .codec(let codec):
    do {
        try codec.run()
    } catch {
        StandardError.error(error)
        exit(1)
    }
}

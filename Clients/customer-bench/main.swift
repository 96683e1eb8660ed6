// customer-bench: load and latency measurements for CustomerCard.
// For now one subcommand, `ping`: the RPC health-check round trip beside a bare Unix-socket
// ping-pong of the same byte counts, measured in the same run.
import Glibc

BuildMode.warnIfDebug()
let command: BenchCommand
do {
    command = try BenchCommand.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    StandardError.write("Error: \(error.message)\n\(BenchCommand.usageLine)\n")
    exit(64)
}
switch command {
case .help(let text):
    print(text)
case .ping(let options):
    exit(await PingCommand(options: options).run())
}

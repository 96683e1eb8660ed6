import CommandLineKit
import CustomerClient
import Foundation
import ProductVersion
import ServiceLog

/// The customerctl command tree: finds the command, prints help, runs it, maps failures to exit codes.
enum CommandLineTool {
    static let commands: [CommandSpec] =
        ServerCommands.all + CustomerCommands.all + RegistryCommands.all + ContactCommands.all + DossierCommands.all
        + ActivityCommands.all + ActivityEditCommands.all + ProjectCommands.all + SettingsCommands.all + UserCommands.all
        + ProfileCommands.all
        + AdminCommands.all + WatchCommands.all
        + [CallCommand.spec, CompletionCommand.spec]

    static var overview: String {
        let groups = Dictionary(grouping: commands, by: { $0.path[0] })
        var lines: [String] = []
        for tab in CommandTabs.arrange(commandGroups) {
            lines.append("")
            lines.append("  \(tab.title):")
            for command in tab.groups.flatMap({ groups[$0] ?? [] }) {
                lines.append("    " + column(command.name) + command.summary)
            }
        }
        return """
            OVERVIEW: customerctl talks to customerd, the customer card service, over its Unix socket.

            USAGE: customerctl \(GlobalOptions.usage) COMMAND [OPTIONS]

            COMMANDS (by tab of the customer card):\(lines.joined(separator: "\n"))

            GLOBAL OPTIONS:
            \(GlobalOptions.helpLines)
            EXIT CODES:
            \(ExitStatus.helpLines)

            See 'customerctl help COMMAND' (or 'customerctl COMMAND --help') for a command's options.

            EXAMPLE:
              customerctl customers create --name "Acme Oy" --country FI
              customerctl customers list --search acme
              customerctl whoami                      # your profile and rights

            """
    }

    /// What a bare `customerctl` prints: the usage line and the command groups by tab, short
    /// enough to read at a glance (the full list is `--help`).
    static var shortUsage: String {
        let arranged = CommandTabs.arrange(commandGroups)
        let width = (arranged.map(\.title.count).max() ?? 0) + 3
        let rows = arranged.map { tab in
            "  " + (tab.title + ":").padding(toLength: width, withPad: " ", startingAt: 0) + tab.groups.joined(separator: ", ")
        }
        return """
            USAGE: customerctl \(GlobalOptions.usage) COMMAND [OPTIONS]

            COMMAND GROUPS:
            \(rows.joined(separator: "\n"))

            See 'customerctl --help' for every command, 'customerctl help GROUP' for a group's.

            """
    }

    /// A command name padded to the summary column (always at least two spaces before it).
    private static func column(_ name: String) -> String {
        name.padding(toLength: max(28, name.count + 2), withPad: " ", startingAt: 0)
    }

    /// The first words of the commands, in the order the commands are listed.
    private static var commandGroups: [String] {
        var seen: [String] = []
        for command in commands where !seen.contains(command.path[0]) {
            seen.append(command.path[0])
        }
        return seen
    }

    static func main(_ argv: [String]) async -> Int32 {
        let global: GlobalOptions
        var words: [String]
        do {
            (global, words) = try GlobalOptions.extract(from: argv)
        } catch {
            return usageFailure(error, usage: "customerctl \(GlobalOptions.usage) COMMAND")
        }

        var explicitHelp = false
        if words.first == "help" {
            explicitHelp = true
            words.removeFirst()
            // `help --help` and `help customers -h` ask for the same help as without the flag.
            words.removeAll { $0 == Option.help.spelling || $0 == "-h" }
        }
        if words.isEmpty, !explicitHelp {
            LogSink.writeToStandardError(shortUsage)
            return ExitStatus.usage
        }
        if words == [GlobalOptions.version.spelling], !explicitHelp {
            print(CustomerCardVersion.line(for: "customerctl"))
            return ExitStatus.success
        }
        guard let first = words.first, !first.hasPrefix("-") || explicitHelp else {
            if words.isEmpty || words.first == "--help" || words.first == "-h" || explicitHelp {
                print(overview, terminator: "")
                return ExitStatus.success
            }
            return usageFailure(UsageError("missing command"), usage: "customerctl COMMAND")
        }

        // The longest command path that the words start with.
        let match = commands
            .filter { words.starts(with: $0.path) }
            .max { $0.path.count < $1.path.count }
        guard let command = match else {
            return unknownCommand(words, explicitHelp: explicitHelp)
        }
        let rest = Array(words.dropFirst(command.path.count))
        if explicitHelp {
            print(command.helpText, terminator: "")
            return ExitStatus.success
        }

        let arguments: ParsedArguments
        do {
            arguments = try command.signature.parse(rest)
            if arguments.wantsHelp {
                print(command.helpText, terminator: "")
                return ExitStatus.success
            }
        } catch {
            return usageFailure(error, usage: "customerctl " + command.usage, help: command.name)
        }

        if !global.isSocketNamed, let problem = DefaultSocketCheck.problem(with: global.socketPath) {
            printError(problem)
            return ExitStatus.failure
        }
        // Connecting is bound by --timeout too, not the library's 5 s: on a loaded machine the server's
        // HELLO can take longer than that, and a command given 30 s failed UNAVAILABLE after 5
        // (CustomerImportCommandLineTests under load ~50). A server that is not there still fails at once.
        var configuration = ClientConfiguration()
        configuration.connectTimeout = global.timeout
        // The default socket (nil) is the client library's: it also refuses a server there of another
        // OS user, which the directory check above cannot see (redteam26).
        let client = CustomerClient(socketPath: global.isSocketNamed ? global.socketPath : nil, configuration: configuration)
        defer { client.close() }
        let invocation = Invocation(
            arguments: arguments, client: client, output: global.output, callOptions: global.callOptions,
            untilStoppedCallOptions: global.untilStoppedCallOptions)
        do {
            try await command.run(invocation)
            return ExitStatus.success
        } catch let error as UsageError {
            return usageFailure(error, usage: "customerctl " + command.usage, help: command.name)
        } catch let error as RPCError {
            printError(CommandFailure.text(for: error, options: command.signature.options))
            return ExitStatus.code(for: error.code)
        } catch {
            printError("\(error)")
            return ExitStatus.failure
        }
    }

    private static func unknownCommand(_ words: [String], explicitHelp: Bool) -> Int32 {
        // A group name alone ("customerctl customers") lists the group's commands.
        let group = commands.filter { $0.path.count > 1 && $0.path[0] == words[0] }
        if !group.isEmpty, words.count == 1 || words[1] == "--help" || words[1] == "-h" || explicitHelp {
            var lines = ["USAGE: customerctl \(words[0]) SUBCOMMAND", "", "SUBCOMMANDS:"]
            for command in group {
                lines.append("  " + column(command.path[1]) + command.summary)
            }
            lines.append("")
            lines.append("See 'customerctl help \(words[0]) SUBCOMMAND' for details.")
            print(lines.joined(separator: "\n"))
            return words.count == 1 && !explicitHelp ? ExitStatus.usage : ExitStatus.success
        }
        let typed = group.isEmpty ? words[0] : words[0] + " " + words[1]
        let candidates = group.isEmpty ? commands.map { $0.path[0] } : group.map(\.name)
        let error = UsageError("unknown command '\(typed)'", suggestion: Suggestion.closest(to: typed, among: candidates))
        return usageFailure(error, usage: "customerctl COMMAND")
    }

    private static func usageFailure(_ error: Error, usage: String, help: String? = nil) -> Int32 {
        printError("\(UsageError.description(of: error, escaping: TerminalText.escaped))\nUsage: \(usage)\nSee 'customerctl help\(help.map { " " + $0 } ?? "")'.")
        return ExitStatus.usage
    }

    /// The message is escaped: it may quote what a server or a command line said.
    static func printError(_ message: String) {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escaped(String($0)) }
        LogSink.writeToStandardError("Error: \(lines.joined(separator: "\n"))\n")
    }
}

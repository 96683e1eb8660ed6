import Foundation
import Testing

/// `customerctl completion`: the scripts come from the same declarations as the parser and the help,
/// so every command the overview lists and every option a USAGE line names is completed.
@Suite struct CompletionCommandLineTests {
    /// The commands of the overview's COMMANDS section ("customers create", "health", ...).
    static func listedCommands() async throws -> [String] {
        let overview = try await runProduct("customerctl", ["--help"])
        // Grouped by tab: a "  Title:" line, then the tab's commands indented by four.
        let section = overview.stdout.components(separatedBy: "COMMANDS (by tab of the customer card):\n").dropFirst().first?
            .components(separatedBy: "\n\nGLOBAL OPTIONS:").first ?? ""
        return section.split(separator: "\n").filter { $0.hasPrefix("    ") }.map { line in
            line.trimmingCharacters(in: .whitespaces).components(separatedBy: "  ")[0]
        }
    }

    @Test func theBashScriptNamesEveryCommandAndOption() async throws {
        let script = try await runProduct("customerctl", ["completion", "bash"])
        #expect(script.status == 0, "\(script.stderr)")
        let commands = try await Self.listedCommands()
        #expect(commands.count > 60)
        for command in commands {
            // The command's branch of the script: its header line, then the options it offers.
            let branch = script.stdout.components(separatedBy: "'\(command)'|'\(command) '*)\n")
            #expect(branch.count == 2, "\(command) is not completed")
            let offered = branch.last?.split(separator: "\n").first?.split(separator: "'").dropFirst().first?
                .split(separator: " ").map(String.init) ?? []
            let help = try await runProduct("customerctl", ["help"] + command.split(separator: " ").map(String.init))
            let usage = help.stdout.split(separator: "\n").first { $0.hasPrefix("USAGE: ") } ?? ""
            let options = usage.split(separator: " ").filter { $0.hasPrefix("[--") || $0.hasPrefix("--") }
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) }
            for option in options {
                #expect(offered.contains(option), "\(command): \(option) is not completed")
            }
            for global in ["--socket", "--output", "--timeout", "--as", "--idempotency-key", "--help"] {
                #expect(offered.contains(global), "\(command): \(global) is not completed")
            }
        }
    }

    @Test func bashCompletesWordsOptionsAndChoicesWhenRun() async throws {
        let script = try await runProduct("customerctl", ["completion", "bash"])
        let directory = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("customerctl.bash")
        try script.stdout.write(to: file, atomically: true, encoding: .utf8)
        // Each line: the words typed so far (the last one being completed), then what bash offers.
        let cases: [([String], [String])] = [
            (["customers", "cr"], ["create"]),
            (["cust"], ["customers"]),
            (["customers", "list", "--or"], ["--order"]),
            (["customers", "list", "--order", ""], ["name", "number"]),
            (["--output", "j"], ["json"]),
            (["profiles", "update", "Sales", "--read-customers", "o"], ["own"]),
            (["completion", "z"], ["zsh"]),
            (["history", "c"], ["customer", "contact"]),
        ]
        for (typed, expected) in cases {
            let words = (["customerctl"] + typed).map { "'\($0)'" }.joined(separator: " ")
            let run = try await runExecutable("/bin/bash", ["-c", """
                source '\(file.path)'
                COMP_WORDS=(\(words)); COMP_CWORD=\(typed.count)
                _customerctl
                printf '%s\\n' "${COMPREPLY[@]}"
                """])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.split(separator: "\n").map(String.init) == expected, "\(typed)")
        }
    }

    @Test func zshAndFishScriptsAndAWrongShell() async throws {
        let zsh = try await runProduct("customerctl", ["completion", "zsh"])
        #expect(zsh.status == 0)
        #expect(zsh.stdout.hasPrefix("#compdef customerctl\n"))
        let fish = try await runProduct("customerctl", ["completion", "fish"])
        #expect(fish.status == 0)
        #expect(fish.stdout.contains("complete -c customerctl -f -n '__fish_use_subcommand' -a customers"))
        #expect(fish.stdout.contains("-l website -r -f"))
        let wrong = try await runProduct("customerctl", ["completion", "fis"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("Did you mean 'fish'?"))
    }
}

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

    /// Where a test needs zsh or fish: locally a missing shell skips the test, saying so; in CI
    /// (`CI` set, where .ci/run installs both) it fails instead.
    static func shell(_ name: String) -> String? {
        ["/usr/bin/", "/bin/", "/usr/local/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func runnable(_ name: String) -> Bool {
        shell(name) != nil || ProcessInfo.processInfo.environment["CI"] != nil
    }

    /// What each shell must offer: the words typed after `customerctl` (the last one being
    /// completed), then the matches.
    static let cases: [(typed: String, offered: [String])] = [
        ("customers cr", ["create"]),
        ("cust", ["customers"]),
        ("customers list --or", ["--order"]),
        ("customers list --order ", ["name", "number"]),
        ("--output j", ["json"]),
        ("-o json customers cr", ["create"]),
        ("profiles update Sales --read-customers o", ["own"]),
        ("completion z", ["zsh"]),
        ("history c", ["contact", "customer"]),
        ("help customers cr", ["create"]),
    ]

    @Test(.enabled(if: runnable("zsh"), "zsh is not installed here (.ci/run installs it)"))
    func zshCompletesWordsOptionsAndChoicesWhenRun() async throws {
        let zsh = try #require(Self.shell("zsh"), "zsh is missing: .ci/run installs it with apt-get")
        let script = try await runProduct("customerctl", ["completion", "zsh"])
        #expect(script.status == 0, "\(script.stderr)")
        #expect(script.stdout.hasPrefix("#compdef customerctl\n"))
        #expect(!script.stdout.contains("bashcompinit"), "a native zsh function, not bash's")
        let directory = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("_customerctl")
        try script.stdout.write(to: file, atomically: true, encoding: .utf8)
        let harness = directory.appendingPathComponent("harness.zsh")
        try Self.zshHarness.write(to: harness, atomically: true, encoding: .utf8)
        // timeout(1) bounds the whole run; the harness also gives up on each completion after 20 s.
        let run = try await runExecutable("/usr/bin/timeout", ["120", zsh, "-f", harness.path, file.path]
            + Self.cases.map { "customerctl " + $0.typed })
        #expect(run.status == 0, "\(run.stderr)")
        let offered = Dictionary(run.stdout.split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), parts.count > 1 ? parts[1].split(separator: " ").map(String.init) : [])
        }, uniquingKeysWith: { first, _ in first })
        for (typed, expected) in Self.cases {
            #expect(offered["customerctl " + typed] == expected, "\(typed): \(run.stdout)")
        }
    }

    @Test(.enabled(if: runnable("fish"), "fish is not installed here (.ci/run installs it)"))
    func fishCompletesWordsOptionsAndChoicesWhenRun() async throws {
        let fish = try #require(Self.shell("fish"), "fish is missing: .ci/run installs it with apt-get")
        let script = try await runProduct("customerctl", ["completion", "fish"])
        #expect(script.status == 0, "\(script.stderr)")
        let directory = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("customerctl.fish")
        try script.stdout.write(to: file, atomically: true, encoding: .utf8)
        for (typed, expected) in Self.cases where !typed.hasPrefix("help ") {
            // `complete -C` prints what fish would offer for that command line, a match per line.
            let run = try await runExecutable("/usr/bin/timeout", ["60", fish, "--no-config", "-c",
                                                                   "source $argv[1]; complete -C $argv[2]",
                                                                   file.path, "customerctl " + typed])
            #expect(run.status == 0, "\(run.stderr)")
            let offered = run.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }.sorted()
            #expect(offered == expected, "\(typed): \(run.stdout)")
        }
    }

    @Test func aWrongShellIsAUsageError() async throws {
        let wrong = try await runProduct("customerctl", ["completion", "fis"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("Did you mean 'fish'?"))
    }

    /// Drives an interactive zsh on a pseudo-terminal (zpty) with compinit and the script loaded:
    /// for each line given it types the line and TAB, and prints the line, a tab and the sorted
    /// matches that reached compadd.
    static let zshHarness = """
        zmodload zsh/zpty zsh/zselect || exit 3
        script=$1; shift
        zpty cc zsh -f -i
        zpty -w cc 'PS1="" RPS1=""; autoload -U compinit && compinit -u -D'
        zpty -w cc "source ${(q)script}"
        # Each match offered passes through compadd: print it (the marker is split so that the echo
        # of this line does not contain it); a completion widget prints its own end marker.
        zpty -w cc 'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd "$@"; return; fi; local -a hits; builtin compadd -O hits "$@"; (( $#hits )) && print -r -l -- "MAT""CH:"${^hits}; builtin compadd "$@"; }'
        zpty -w cc 'capture() { _main_complete; print -r -- "COMPLETION-""END"; }; zle -C capture complete-word capture; bindkey "^I" capture'
        zpty -w cc 'print -r -- "READY-""MARK"'
        # What the shell printed until the marker $1, for at most 20 s.
        read_until() {
            local chunk
            REPLY=""
            integer tries=0
            while (( tries++ < 2000 )); do
                if zpty -r -t cc chunk; then
                    REPLY+=$chunk
                    [[ $REPLY == *$1* ]] && return 0
                else
                    zselect -t 1
                fi
            done
            print -u2 -r -- "no $1 within 20 s; the shell printed: $REPLY"
            return 1
        }
        read_until "READY-MARK" || exit 4
        for line in "$@"; do
            zpty -w -n cc $'\\C-u'"$line"$'\\t'
            read_until "COMPLETION-END" || exit 5
            matches=(${(f)REPLY})
            matches=(${(M)matches:#*MATCH:*})
            matches=(${matches##*MATCH:})
            matches=(${matches%%$'\\r'})
            matches=(${(ou)matches})
            print -r -- "$line"$'\\t'"${(j: :)matches}"
        done
        zpty -d cc

        """
}

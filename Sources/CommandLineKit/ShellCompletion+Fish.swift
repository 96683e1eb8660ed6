extension ShellCompletion {
    /// One `complete -c` line per command word and per option, each under the condition that the
    /// words before it were typed.
    static func fish(program: String, commands: [Command], global: [Option]) -> String {
        var lines = ["# fish completion for \(program): \(program) completion fish > ~/.config/fish/completions/\(program).fish"]
        let top = topWords(commands)
        for word in top {
            let single = commands.first { $0.path == [word] }
            let summary = single?.summary ?? "\(word) commands"
            lines.append("complete -c \(program) -f -n '__fish_use_subcommand' -a \(word) -d \(quoted(summary))")
        }
        for group in top {
            let members = commands.filter { $0.path.count > 1 && $0.path[0] == group }
            let names = members.map { $0.path[1] }.joined(separator: " ")
            for member in members {
                lines.append("complete -c \(program) -f -n '__fish_seen_subcommand_from \(group); and not __fish_seen_subcommand_from \(names)' -a \(member.path[1]) -d \(quoted(member.summary))")
            }
        }
        // Files only where a command or option takes a path.
        lines.append("complete -c \(program) -f")
        for command in commands {
            let condition = command.path.map { "__fish_seen_subcommand_from \($0)" }.joined(separator: "; and ")
            for option in command.signature.options {
                lines.append(line(program: program, option, condition: condition))
            }
            for argument in command.signature.arguments {
                if !argument.choices.isEmpty {
                    lines.append("complete -c \(program) -f -n \(quoted(condition)) -a \(quoted(argument.choices.joined(separator: " ")))")
                } else if argument.completion != .none {
                    lines.append("complete -c \(program) -F -n \(quoted(condition))")
                }
            }
        }
        for option in global + [.help] {
            lines.append(line(program: program, option, condition: nil))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func line(program: String, _ option: Option, condition: String?) -> String {
        var line = "complete -c \(program)"
        if let condition { line += " -n \(quoted(condition))" }
        line += " -l \(option.name)"
        if let short = option.shortName { line += " -s \(short)" }
        if option.kind != .flag {
            line += " -r"
            if !option.choices.isEmpty {
                line += " -f -a \(quoted(option.choices.joined(separator: " ")))"
            } else if option.completion == .none {
                line += " -f"
            } else {
                line += " -F"
            }
        }
        return line + " -d " + quoted(summary(option.help))
    }
}

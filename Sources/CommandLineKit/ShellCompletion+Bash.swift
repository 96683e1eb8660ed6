extension ShellCompletion {
    /// A `complete -F` function: the command words typed so far (options and their values skipped)
    /// choose which words, options and option values are offered.
    static func bash(program: String, commands: [Command], global: [Option]) -> String {
        let function = "_" + identifier(program)
        let valued = Set((commands.flatMap(\.signature.allOptions) + global).filter { $0.kind != .flag }.map(\.spelling))
        let globalWords = (global + [.help]).map(\.spelling).joined(separator: " ")
        var branches: [String] = []
        // Leaves before groups: "customers create ..." must not stop at "customers".
        for command in commands {
            let name = command.path.joined(separator: " ")
            let options = command.signature.allOptions.map(\.spelling) + global.map(\.spelling)
            var branch = "        \(quoted(name))|\(quoted(name + " "))*)\n"
            branch += "            options=\(quoted(options.joined(separator: " ")))\n"
            let choices = command.signature.arguments.flatMap(\.choices)
            if !choices.isEmpty {
                branch += "            words=\(quoted(choices.joined(separator: " ")))\n"
            }
            let values = valueCases(command.signature.options, indent: "                ")
            if !values.isEmpty {
                branch += "            case $prev in\n" + values + "            esac\n"
            }
            branch += "            ;;"
            branches.append(branch)
        }
        for group in topWords(commands) {
            let members = subcommands(of: group, in: commands)
            guard !members.isEmpty else { continue }
            branches.append("        \(quoted(group)))\n            words=\(quoted(members.joined(separator: " ")))\n            ;;")
        }
        branches.append("        \"\")\n            words=\(quoted((topWords(commands) + ["help"]).joined(separator: " ")))\n            options=\(quoted(globalWords))\n            ;;")
        return """
            # bash completion for \(program): source it, or eval "$(\(program) completion bash)" in ~/.bashrc.
            \(function)() {
                local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
                local path="" skip="" word i words="" options=""
                for ((i = 1; i < COMP_CWORD; i++)); do
                    word=${COMP_WORDS[i]}
                    if [[ -n $skip ]]; then skip=""; continue; fi
                    case $word in
                        \(valued.sorted().joined(separator: "|"))) skip=1 ;;
                        help|-*) ;;
                        *) path="$path $word" ;;
                    esac
                done
                path=${path# }
                case $prev in
            \(valueCases(global, indent: "        "))    esac
                case $path in
            \(branches.joined(separator: "\n"))
                esac
                if [[ $cur == -* ]]; then
                    COMPREPLY=($(compgen -W "$options" -- "$cur"))
                else
                    COMPREPLY=($(compgen -W "$words" -- "$cur"))
                fi
            }
            complete -o default -F \(function) \(program)

            """
    }

    /// `case $prev` arms that complete an option's value: its choices, or a path.
    private static func valueCases(_ options: [Option], indent: String) -> String {
        var text = ""
        for option in options where option.kind != .flag {
            let reply: String
            if !option.choices.isEmpty {
                reply = "COMPREPLY=($(compgen -W \(quoted(option.choices.joined(separator: " "))) -- \"$cur\"))"
            } else if option.completion == .file {
                reply = "COMPREPLY=($(compgen -f -- \"$cur\"))"
            } else if option.completion == .directory {
                reply = "COMPREPLY=($(compgen -d -- \"$cur\"))"
            } else {
                continue
            }
            text += "\(indent)\(option.spelling)) \(reply); return ;;\n"
        }
        return text
    }
}

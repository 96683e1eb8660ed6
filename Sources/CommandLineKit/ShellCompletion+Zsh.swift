extension ShellCompletion {
    /// A native zsh completion function: the command words typed so far pick the branch, those words
    /// are taken out of `words`, and `_arguments` completes the rest from the command's own option
    /// and argument specs, so zsh shows each option's help and completes values after `--name=` too.
    /// Works both autoloaded from `$fpath` (`#compdef`) and sourced (it calls `compdef` itself).
    static func zsh(program: String, commands: [Command], global: [Option]) -> String {
        let function = "_" + identifier(program)
        let globalNames = Set((global + [.help]).map(\.name))
        let valued = (commands.flatMap(\.signature.allOptions) + global).filter { $0.kind != .flag }
        let valuedWords = Set(valued.flatMap { option in [option.spelling] + (option.shortName.map { ["-\($0)"] } ?? []) })
        var branches: [String] = []
        // Leaves before groups, as in bash: "customers create ..." must not stop at "customers".
        for command in commands {
            let name = command.path.joined(separator: " ")
            let options = command.signature.allOptions.filter { !globalNames.contains($0.name) }
            var specs = options.flatMap(zshSpecs)
            for (index, argument) in command.signature.arguments.enumerated() {
                let colon = argument.isOptional ? "::" : ":"
                specs.append("\(index + 1)\(colon)\(zshEscaped(argument.name, "\\:")):\(zshAction(argument.choices, argument.completion))")
            }
            if command.signature.acceptsMoreArguments { specs.append("*::ARGUMENT: ") }
            branches.append("""
                        \(quoted(name))|\(quoted(name + " "))*)
                            (( help_at )) && return 1
                            \(function)_drop \(command.path.count); words=("${reply[@]}"); CURRENT=$REPLY
                            _arguments -S : $global \\
                                \(specs.map(quoted).joined(separator: " \\\n                    "))
                            ;;
                """)
        }
        for group in topWords(commands) {
            let members = commands.filter { $0.path.count > 1 && $0.path[0] == group }
            guard !members.isEmpty else { continue }
            let described = members.map { describedWord($0.path[1], $0.summary) }
            branches.append(wordBranch(quoted(group), depth: 1, function: function, title: "\(group) command", words: described))
        }
        let top = topWords(commands).map { word in
            describedWord(word, commands.first { $0.path == [word] }?.summary ?? "\(word) commands")
        } + [describedWord("help", "Show help for a command.")]
        branches.append(wordBranch("''", depth: 0, function: function, title: "\(program) command", words: top))
        let globalSpecs = (global + [.help]).flatMap(zshSpecs).map(quoted).joined(separator: "\n        ")
        return """
            #compdef \(program)
            # zsh completion for \(program): `\(program) completion zsh > ~/.zfunc/\(function)` with ~/.zfunc on
            # $fpath before compinit, or `source <(\(program) completion zsh)` after compinit in ~/.zshrc.

            # `words` without the help word and the first $1 command words, in `reply`, so that
            # `_arguments` sees only the options and the command's own arguments. The caller assigns
            # `words` and `CURRENT` itself: assigned in a function it calls, `_arguments` ignores them.
            \(function)_drop() {
                local -i n=$1 j k=0
                reply=("$words[1]")
                for ((j = 2; j < CURRENT; j++)); do
                    (( j == help_at )) && continue
                    if (( ${command_at[(Ie)$j]} )) && (( ++k <= n )); then continue; fi
                    reply+=("$words[j]")
                done
                REPLY=$(( $#reply + 1 ))
                reply+=("${(@)words[CURRENT,-1]}")
            }

            \(function)() {
                local -a command_at path_words global reply
                local -i i help_at=0
                local REPLY
                local word skip=""
                # The command words typed so far; options and their values are skipped.
                for ((i = 2; i < CURRENT; i++)); do
                    word=$words[i]
                    if [[ -n $skip ]]; then skip=""; continue; fi
                    case $word in
                        (\(valuedWords.sorted().joined(separator: "|"))) skip=1 ;;
                        (-*) ;;
                        (*)
                            if [[ $word == help ]] && (( $#command_at == 0 && help_at == 0 )); then
                                help_at=$i
                            else
                                command_at+=($i)
                                path_words+=("$word")
                            fi
                            ;;
                    esac
                done
                global=(
                    \(globalSpecs)
                )
                case "${(j: :)path_words}" in
            \(branches.joined(separator: "\n"))
                    (*) return 1 ;;
                esac
            }

            if [[ $funcstack[1] == \(function) ]]; then
                \(function) "$@"
            else
                compdef \(function) \(program)
            fi

            """
    }

    /// A branch offering the next command word, with its summary beside it.
    private static func wordBranch(_ pattern: String, depth: Int, function: String, title: String, words: [String]) -> String {
        """
                \(pattern))
                    local -a subcommands
                    subcommands=(
                        \(words.map(quoted).joined(separator: "\n                    "))
                    )
                    \(function)_drop \(depth); words=("${reply[@]}"); CURRENT=$REPLY
                    _arguments -S : $global \(quoted("1: :{_describe -t commands \(quoted(title).replacingOccurrences(of: "'", with: "\"")) subcommands}"))
                    ;;
        """
    }

    /// `word:summary` as `_describe` takes it.
    private static func describedWord(_ word: String, _ summary: String) -> String {
        word.replacingOccurrences(of: ":", with: "\\:") + ":" + Self.summary(summary)
    }

    /// The `_arguments` specs of one option: its long and short spellings, each excluding the
    /// other unless it may be repeated, its help's first sentence and what completes its value.
    private static func zshSpecs(_ option: Option) -> [String] {
        let spellings = [option.spelling] + (option.shortName.map { ["-\($0)"] } ?? [])
        let prefix: String
        if option.kind == .repeatable {
            prefix = "*"
        } else if spellings.count > 1 {
            prefix = "(" + spellings.joined(separator: " ") + ")"
        } else {
            prefix = ""
        }
        var value = ""
        if option.kind != .flag {
            let name = option.valueName.isEmpty ? "VALUE" : option.valueName
            value = ":" + zshEscaped(name, "\\:") + ":" + zshAction(option.choices, option.completion)
        }
        let help = "[" + zshEscaped(summary(option.help), "\\[]:") + "]"
        return spellings.map { prefix + $0 + (option.kind == .flag || $0.hasPrefix("--") == false ? "" : "=") + help + value }
    }

    /// What completes a value: the closed set of choices, files, directories, or nothing.
    private static func zshAction(_ choices: [String], _ completion: Option.Completion) -> String {
        if !choices.isEmpty {
            return "(" + choices.map { zshEscaped($0, "\\: ()") }.joined(separator: " ") + ")"
        }
        switch completion {
        case .file: return "_files"
        case .directory: return "_files -/"
        case .none: return " "
        }
    }

    /// A backslash before each of `special`: what `_arguments` reads as syntax where the text goes
    /// (a description, a message, a word of a list of choices).
    private static func zshEscaped(_ text: String, _ special: String) -> String {
        var escaped = ""
        for character in text {
            if special.contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

/// Shell completion scripts written from the commands' declarations: every command word, every
/// option, and the values of options with a closed set of choices or a path.
public enum ShellCompletion {
    public enum Shell: String, Sendable, CaseIterable {
        case bash, zsh, fish
    }

    /// One leaf command as completion sees it.
    public struct Command: Sendable {
        /// e.g. ["customers", "create"].
        public let path: [String]
        public let summary: String
        public let signature: Signature

        public init(path: [String], summary: String, signature: Signature) {
            self.path = path
            self.summary = summary
            self.signature = signature
        }
    }

    /// The script for `shell`, completing `program`'s `commands` and the `global` options every command takes.
    public static func script(for shell: Shell, program: String, commands: [Command], global: [Option]) -> String {
        switch shell {
        case .bash:
            return bash(program: program, commands: commands, global: global)
        case .zsh:
            return zsh(program: program, commands: commands, global: global)
        case .fish:
            return fish(program: program, commands: commands, global: global)
        }
    }

    /// The first words of the commands, in the order they come (groups and one-word commands).
    static func topWords(_ commands: [Command]) -> [String] {
        var seen: [String] = []
        for command in commands where !seen.contains(command.path[0]) { seen.append(command.path[0]) }
        return seen
    }

    /// The second words under a group, in order.
    static func subcommands(of group: String, in commands: [Command]) -> [String] {
        commands.filter { $0.path.count > 1 && $0.path[0] == group }.map { $0.path[1] }
    }

    /// The help's first sentence, its lines joined: zsh and fish show one line beside each option.
    static func summary(_ help: String) -> String {
        let text = help.split(separator: "\n").joined(separator: " ")
        var start = text.startIndex
        while let stop = text.range(of: ". ", range: start..<text.endIndex) {
            let sentence = text[..<stop.lowerBound]
            // "e.g. " and "i.e. " end no sentence.
            if !sentence.hasSuffix("e.g") && !sentence.hasSuffix("i.e") { return sentence + "." }
            start = stop.upperBound
        }
        return text
    }

    /// Safe inside single quotes in every shell here.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A function name part from a program name (`customer-bench` → `customer_bench`).
    static func identifier(_ program: String) -> String {
        String(program.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}

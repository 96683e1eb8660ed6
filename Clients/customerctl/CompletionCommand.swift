import CommandLineKit

/// `customerctl completion bash|zsh|fish`: the shell's completion script, written from the same
/// declarations that parse the command line.
enum CompletionCommand {
    static let shell = Argument(
        ShellCompletion.Shell.allCases.map(\.rawValue).joined(separator: "|"), help: "The shell the script is for.",
        choices: ShellCompletion.Shell.allCases.map(\.rawValue))

    static let spec = CommandSpec(
        ["completion"], summary: "Print a shell completion script for customerctl (bash, zsh or fish).",
        arguments: [shell],
        notes: """
            bash: add `eval "$(customerctl completion bash)"` to ~/.bashrc.
            zsh:  customerctl completion zsh > ~/.zfunc/_customerctl, with fpath=(~/.zfunc $fpath)
                  before compinit in ~/.zshrc; or `source <(customerctl completion zsh)` after it.
            fish: customerctl completion fish > ~/.config/fish/completions/customerctl.fish
            """,
        examples: ["customerctl completion bash > /etc/bash_completion.d/customerctl"]
    ) { invocation in
        let name = try invocation.text(shell)
        guard let chosen = ShellCompletion.Shell(rawValue: name) else {
            throw UsageError("unknown shell '\(name)' (bash, zsh or fish)",
                             suggestion: Suggestion.closest(to: name, among: ShellCompletion.Shell.allCases.map(\.rawValue)))
        }
        print(script(for: chosen), terminator: "")
    }

    static func script(for shell: ShellCompletion.Shell) -> String {
        let commands = CommandLineTool.commands.map {
            ShellCompletion.Command(path: $0.path, summary: $0.summary, signature: $0.signature)
        }
        return ShellCompletion.script(for: shell, program: "customerctl", commands: commands, global: GlobalOptions.all)
    }
}

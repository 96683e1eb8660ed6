import CommandLineKit
import Testing

@Suite struct ShellCompletionTests {
    static let commands = [
        ShellCompletion.Command(path: ["health"], summary: "Is it serving?", signature: Signature(options: [
            .value("service", "NAME", help: "One service."),
        ])),
        ShellCompletion.Command(path: ["customers", "list"], summary: "List customers.", signature: Signature(options: [
            .value("order", help: "Sort order.", choices: ["name", "number"]),
            .flag("all", help: "Active and deactivated.\nDefault: only active. Second sentence."),
        ])),
        ShellCompletion.Command(path: ["files", "download"], summary: "Download a file.", signature: Signature(
            arguments: [Argument("ID")], options: [.value("to", "PATH", help: "Where.", completion: .file)])),
    ]
    static let global = [Option.value("socket", "PATH", help: "The socket.", completion: .file)]

    @Test func bashNamesEveryCommandWordOptionAndChoice() {
        let script = ShellCompletion.script(for: .bash, program: "tool", commands: Self.commands, global: Self.global)
        for word in ["health", "customers", "list", "files", "download", "--service", "--order", "--all", "--to", "--socket",
                     "'name number'", "complete -o default -F _tool tool"] {
            #expect(script.contains(word), "\(word)")
        }
    }

    @Test func zshIsANativeArgumentsFunction() {
        let script = ShellCompletion.script(for: .zsh, program: "tool", commands: Self.commands, global: Self.global)
        #expect(script.hasPrefix("#compdef tool\n"))
        #expect(!script.contains("bashcompinit"))
        for part in ["'customers list'|'customers list '*)", "'--order=[Sort order.]:name|number:(name number)'",
                     "'--all[Active and deactivated.]'", "'--to=[Where.]:PATH:_files'", "'1:ID: '",
                     "'--socket=[The socket.]:PATH:_files'", "'list:List customers.'", "compdef _tool tool"] {
            #expect(script.contains(part), "\(part)")
        }
    }

    @Test func aSummaryEndsAtTheFirstSentenceButNotAtEG() {
        let commands = [ShellCompletion.Command(path: ["health"], summary: "Is it serving?", signature: Signature(options: [
            .value("service", "NAME", help: "One service, e.g. customer.v1.CustomerService. Default: all."),
        ]))]
        let fish = ShellCompletion.script(for: .fish, program: "tool", commands: commands, global: [])
        #expect(fish.contains("-d 'One service, e.g. customer.v1.CustomerService.'"))
    }

    @Test func fishHasALinePerWordAndOption() {
        let script = ShellCompletion.script(for: .fish, program: "tool", commands: Self.commands, global: Self.global)
        #expect(script.contains("complete -c tool -f -n '__fish_use_subcommand' -a customers"))
        #expect(script.contains(
            "complete -c tool -f -n '__fish_seen_subcommand_from customers; and not __fish_seen_subcommand_from list' -a list"))
        #expect(script.contains("-l order -r -f -a 'name number'"))
        #expect(script.contains("complete -c tool -l socket -r -F -d 'The socket.'"))
        #expect(script.contains("-l all -d 'Active and deactivated.'"))
    }
}

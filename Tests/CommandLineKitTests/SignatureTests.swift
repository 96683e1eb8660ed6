import CommandLineKit
import Testing

@Suite struct SignatureTests {
    static let id = Argument("ID", help: "The customer's id.")
    static let name = Option.value("name", "NAME", help: "The customer's name.", required: true)
    static let street = Option.repeatable("street", "LINE", help: "A street line; give it up to three times.")
    static let order = Option.value("order", help: "Sort order.\nDefault: name.", choices: ["name", "number"])
    static let confirm = Option.flag("confirm", help: "Required: says you mean it.")
    static let signature = Signature(arguments: [id], options: [name, street, order, confirm])

    @Test func theUsageLineListsEveryOptionFromItsDeclaration() {
        #expect(Self.signature.usage == "ID --name NAME [--street LINE]... [--order name|number] [--confirm]")
    }

    @Test func theHelpHasOneRowPerDeclarationWithItsLinesUnderIt() {
        #expect(Self.signature.help() == """
            ARGUMENTS:
              ID                       The customer's id.

            OPTIONS:
              --name NAME              The customer's name.
              --street LINE            A street line; give it up to three times.
              --order name|number      Sort order.
                                       Default: name.
              --confirm                Required: says you mean it.


            """)
    }

    @Test func aLabelTooLongForTheColumnGetsALineOfItsOwn() {
        let fields = Option.value("fields", "name,address,email,website", help: "The fields.")
        #expect(HelpLayout.rows([HelpLayout.row(fields)]) == """
              --fields name,address,email,website
                                       The fields.

            """)
    }

    @Test func aRequiredOptionAndTheArgumentCountAreChecked() throws {
        #expect(throws: UsageError("missing --name")) { try Self.signature.parse(["42"]) }
        #expect(throws: UsageError("unexpected argument '43'")) { try Self.signature.parse(["42", "43", "--name", "x"]) }
        let parsed = try Self.signature.parse(["42", "--name", "x", "--street", "a", "--street", "b"])
        #expect(parsed.positionals == ["42"])
        #expect(parsed.allValues(Self.street) == ["a", "b"])
    }

    @Test func helpIsAnsweredEvenWhenTheCallIsIncomplete() throws {
        #expect(try Self.signature.parse(["--help"]).wantsHelp)
    }

    @Test func extraArgumentsAreKeptWhenTheCommandTakesMore() throws {
        let scenarios = Signature(arguments: [Argument("SCENARIO", optional: true)], acceptsMoreArguments: true)
        #expect(try scenarios.parse(["get", "list"]).positionals == ["get", "list"])
        #expect(scenarios.usage == "[SCENARIO ...]")
    }
}

import CommandLineKit
import Testing

@Suite struct ParsedArgumentsTests {
    @Test func optionsFlagsAndPositionalsInAnyOrder() throws {
        let parsed = try ParsedArguments(
            ["42", "--name", "Acme Oy", "--confirm", "--country=FI", "--", "--not-an-option"],
            options: ["name", "country"], flags: ["confirm"])
        #expect(parsed.positionals == ["42", "--not-an-option"])
        #expect(parsed.value("name") == "Acme Oy")
        #expect(parsed.value("country") == "FI")
        #expect(parsed.flag("confirm"))
        #expect(!parsed.wantsHelp)
    }

    @Test func aRepeatedOptionKeepsEveryValueAndTheLastWins() throws {
        let parsed = try ParsedArguments(["--url", "a", "--url", "b"], options: ["url"], flags: [])
        #expect(parsed.allValues("url") == ["a", "b"])
        #expect(parsed.value("url") == "b")
    }

    @Test func helpInEverySpelling() throws {
        for spelling in ["-h", "--help"] {
            #expect(try ParsedArguments([spelling], options: [], flags: []).wantsHelp)
        }
    }

    @Test func negativeNumbersArePositionals() throws {
        #expect(try ParsedArguments(["-5"], options: [], flags: []).positionals == ["-5"])
    }

    @Test(arguments: [
        (["--nmae", "x"], "unknown option '--nmae'", "--name"),
        (["--name"], "option '--name' needs a value", nil),
        (["--confirm=yes"], "flag '--confirm' takes no value", nil),
        (["-x"], "unknown option '-x'", nil),
        (["--zzzzzzzz"], "unknown option '--zzzzzzzz'", nil),
    ] as [([String], String, String?)])
    func mistakesAreNamedWithASuggestionWhenOneIsClose(arguments: [String], message: String, suggestion: String?) {
        #expect {
            try ParsedArguments(arguments, options: ["name"], flags: ["confirm"])
        } throws: { error in
            let usage = error as? UsageError
            return usage?.message == message && usage?.suggestion == suggestion
        }
    }

    @Test func integersAreCheckedAndNamed() throws {
        let parsed = try ParsedArguments(["--limit", "ten"], options: ["limit"], flags: [])
        #expect(throws: UsageError.self) { try parsed.integer("limit", as: Int.self) }
        #expect(try ParsedArguments(["--limit", "10"], options: ["limit"], flags: []).integer("limit", as: Int.self) == 10)
    }

    @Test func tooManyPositionalsAreRefused() throws {
        let parsed = try ParsedArguments(["1", "2"], options: [], flags: [])
        #expect(throws: UsageError.self) { try parsed.expectPositionals(atMost: 1) }
    }

    @Test func suggestionsOnlyWhenClose() {
        #expect(Suggestion.closest(to: "custmers", among: ["customers", "users"]) == "customers")
        #expect(Suggestion.closest(to: "xyz", among: ["customers", "users"]) == nil)
    }
}

import CommandLineKit
import Testing

@Suite struct ParsedArgumentsTests {
    static let name = Option.value("name", "NAME", help: "The name.")
    static let country = Option.value("country", "CC", help: "Country.")
    static let confirm = Option.flag("confirm", help: "Says you mean it.")
    static let url = Option.repeatable("url", "URL", help: "A URL.")
    static let limit = Option.value("limit", "N", help: "How many.")
    static let output = Option.value("output", short: "o", help: "Format.", choices: ["table", "json"])

    @Test func optionsFlagsAndPositionalsInAnyOrder() throws {
        let parsed = try ParsedArguments(
            ["42", "--name", "Acme Oy", "--confirm", "--country=FI", "--", "--not-an-option"],
            options: [Self.name, Self.country, Self.confirm])
        #expect(parsed.positionals == ["42", "--not-an-option"])
        #expect(parsed.value(Self.name) == "Acme Oy")
        #expect(parsed.value(Self.country) == "FI")
        #expect(parsed.flag(Self.confirm))
        #expect(!parsed.wantsHelp)
    }

    @Test func aRepeatedOptionKeepsEveryValueAndTheLastWins() throws {
        let parsed = try ParsedArguments(["--url", "a", "--url", "b"], options: [Self.url])
        #expect(parsed.allValues(Self.url) == ["a", "b"])
        #expect(parsed.value(Self.url) == "b")
    }

    @Test func helpInEverySpelling() throws {
        for spelling in ["-h", "--help"] {
            #expect(try ParsedArguments([spelling], options: []).wantsHelp)
        }
    }

    @Test func aShortNameIsTheOptionItself() throws {
        let parsed = try ParsedArguments(["-o", "json"], options: [Self.output])
        #expect(parsed.value(Self.output) == "json")
    }

    @Test func negativeNumbersArePositionals() throws {
        #expect(try ParsedArguments(["-5"], options: []).positionals == ["-5"])
    }

    @Test(arguments: [
        (["--nmae", "x"], "unknown option '--nmae'", "--name"),
        (["--name"], "option '--name' needs a value", nil),
        (["--confirm=yes"], "flag '--confirm' takes no value", nil),
        (["-x"], "unknown option '-x'", nil),
        (["--zzzzzzzz"], "unknown option '--zzzzzzzz'", nil),
        (["--output", "jsno"], "--output takes 'table' or 'json', got 'jsno'", "json"),
    ] as [([String], String, String?)])
    func mistakesAreNamedWithASuggestionWhenOneIsClose(arguments: [String], message: String, suggestion: String?) {
        #expect {
            try ParsedArguments(arguments, options: [Self.name, Self.confirm, Self.output])
        } throws: { error in
            let usage = error as? UsageError
            return usage?.message == message && usage?.suggestion == suggestion
        }
    }

    @Test func integersAreCheckedAndNamed() throws {
        let parsed = try ParsedArguments(["--limit", "ten"], options: [Self.limit])
        #expect(throws: UsageError.self) { try parsed.integer(Self.limit, as: Int.self) }
        #expect(try ParsedArguments(["--limit", "10"], options: [Self.limit]).integer(Self.limit, as: Int.self) == 10)
    }

    @Test func anIntegerOutsideItsRangeIsRefusedNamingTheRange() throws {
        let outside = try ParsedArguments(["--limit", "0"], options: [Self.limit])
        #expect(throws: UsageError("option '--limit' needs a whole number from 1 to 100, got '0'")) {
            try outside.integer(Self.limit, in: 1...100)
        }
        #expect(try ParsedArguments(["--limit", "100"], options: [Self.limit]).integer(Self.limit, in: 1...100) == 100)
        #expect(try ParsedArguments([], options: [Self.limit]).integer(Self.limit, in: 1...100) == nil)
    }

    @Test func suggestionsOnlyWhenClose() {
        #expect(Suggestion.closest(to: "custmers", among: ["customers", "users"]) == "customers")
        #expect(Suggestion.closest(to: "xyz", among: ["customers", "users"]) == nil)
    }
}

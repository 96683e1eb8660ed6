import Foundation
import Testing
@testable import CustomerStore

/// Text input as every validator screens it (`TextInput`): control characters refused by field
/// name, never cut short, and lengths counted as the schema counts them.
@Suite struct TextInputTests {
    /// A name of `count` code points that is half as many characters on screen: "x" and a
    /// combining acute accent, which Unicode has no composed character for (an "e" and the accent
    /// would be composed into one "é" on input).
    static func combining(_ count: Int) -> String {
        String(repeating: "x\u{301}", count: count / 2) + (count % 2 == 1 ? "a" : "")
    }

    @Test(arguments: ["Acme\0Hidden", "Acme\u{1B}[31mRed", "Acme\nOy", "Acme\tOy", "Acme\rOy", "Acme\u{7F}",
                      "Acme\u{9B}31m", "Acme\u{2028}Oy"])
    func aControlCharacterInANameIsRefusedAndNothingIsStored(_ name: String) throws {
        let fixture = try Fixture()
        let found = violations { try fixture.create(name) }
        #expect(found?.map(\.field) == ["name"])
        #expect(found?.first?.reason.contains("control characters") == true)
        #expect(try fixture.rawCount("SELECT count(*) FROM customers") == 0)
    }

    /// The screen matches UTF-8 encodings: the code points either side of each refused range.
    @Test func theRefusedRangesEndExactlyWhereUnicodeEndsThem() {
        let refused: [Unicode.Scalar] = ["\u{0}", "\u{1F}", "\u{7F}", "\u{80}", "\u{9F}", "\u{2028}", "\u{2029}",
                                         "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}"]
        let accepted: [Unicode.Scalar] = [" ", "~", "\u{A0}", "\u{FF}", "\u{2027}", "\u{202F}", "\u{2065}", "\u{206A}",
                                          "\u{200E}", "\u{2030}", "\u{2044}", "\u{20AC}", "\u{1F600}"]
        for scalar in refused {
            #expect(TextInput.controlViolation(in: "a\(scalar)b", field: "f", lines: .single) != nil, "\(scalar.value)")
        }
        for scalar in accepted {
            #expect(TextInput.controlViolation(in: "a\(scalar)b", field: "f", lines: .single) == nil, "\(scalar.value)")
        }
        #expect(TextInput.controlViolation(in: "a\n\tb", field: "f", lines: .multiple) == nil)
        #expect(TextInput.controlViolation(in: "a\u{2028}b", field: "f", lines: .multiple) == nil)
        #expect(TextInput.controlViolation(in: "a\u{202E}b\u{2069}", field: "f", lines: .multiple) == nil)
        #expect(TextInput.length("e\u{301}€🇫🇮") == 5)
    }

    /// Composing: Hangul jamo, Vietnamese stacked accents and "Ä" as A and a diaeresis become
    /// their composed characters; text below U+0300 (every Latin letter Dutch, German, French,
    /// Turkish and Polish names use) is its own composed form and returned as it is.
    @Test func canonicalTextIsTrimmedAndComposed() {
        let pairs: [(String, String)] = [
            ("\u{1100}\u{1161}\u{11A8}", "\u{AC01}"), ("Vie\u{323}\u{302}t", "Vi\u{1EC7}t"),
            ("A\u{308}rzte\u{3000}", "\u{C4}rzte"), ("\u{A0}\u{130}stanbul \u{141}\u{F3}d\u{17A} \u{1E9E}", "\u{130}stanbul \u{141}\u{F3}d\u{17A} \u{1E9E}"),
            ("x\u{301}", "x\u{301}"),
        ]
        for (raw, expected) in pairs {
            #expect(Array(TextInput.canonical(raw).unicodeScalars) == Array(expected.unicodeScalars), "\(raw.debugDescription)")
        }
    }

    @Test func aNULByteIsNeverCutShortEvenWhereTextIsOnlyLookedUp() throws {
        let fixture = try Fixture()
        // Before: "alice\0x" was bound up to its NUL and found alice.
        #expect(try fixture.store.user(name: "alice\0x") == nil)
        #expect(try fixture.store.user(name: "alice")?.id == fixture.admin.id)
    }

    @Test func freeTextKeepsLineFeedsAndTabsButNoOtherControlCharacter() throws {
        let fixture = try Fixture()
        let text = "First line\n\tindented second line"
        let customer = try fixture.store.createCustomer(NewCustomer(name: "Acme", description: text), by: .user(fixture.admin.id))
        #expect(customer.description == text)
        for refused in ["a\u{1B}]0;title\u{7}", "a\r\nb", "a\0b"] {
            let found = violations {
                _ = try fixture.store.createCustomer(NewCustomer(name: "Beta", description: refused), by: .user(fixture.admin.id))
            }
            #expect(found?.map(\.field) == ["description"])
        }
        let found = violations {
            _ = try fixture.store.createCustomer(NewCustomer(name: "Beta", industry: "a\nb"), by: .user(fixture.admin.id))
        }
        #expect(found?.map(\.field) == ["industry"])
        #expect(try fixture.rawCount("SELECT count(*) FROM customers") == 1)
    }

    /// 200 code points is the schema's limit (`length(name) BETWEEN 1 AND 200`). Counting characters
    /// as Swift does (grapheme clusters), 101 "é" with combining accents (201 code points) passed
    /// the validator and failed the CHECK: INTERNAL instead of INVALID_ARGUMENT on `name`.
    @Test func aCustomerNameIsCountedAsTheSchemaCountsIt() throws {
        let fixture = try Fixture()
        for accepted in [Self.combining(200), String(repeating: "€", count: 200), String(repeating: "🇫🇮", count: 100)] {
            #expect(try fixture.create(accepted).name == accepted)
        }
        for refused in [Self.combining(201), String(repeating: "€", count: 201), String(repeating: "🇫🇮", count: 100) + "a"] {
            let found = violations { try fixture.create(refused) }
            #expect(found == [FieldViolation(field: "name", reason: "must be 1 to 200 characters after trimming")])
        }
        #expect(try fixture.rawCount("SELECT count(*) FROM customers") == 3)
    }

    @Test func namesOfUsersAndLabelsAreCountedAsTheSchemaCountsThem() throws {
        let fixture = try Fixture()
        #expect(try fixture.store.addUser(uid: 2000, name: Self.combining(64)).name == Self.combining(64))
        #expect(violations { _ = try fixture.store.addUser(uid: 2001, name: Self.combining(65)) }?.map(\.field) == ["name"])
        #expect(try fixture.store.createLabel(.keyword, name: Self.combining(100)).name == Self.combining(100))
        #expect(violations { _ = try fixture.store.createLabel(.role, name: Self.combining(101)) }?.map(\.field) == ["name"])
        #expect(violations { _ = try fixture.store.createLabel(.role, name: "new\nsletter") }?.map(\.field) == ["name"])
    }

    @Test func aSearchWithAControlCharacterIsRefusedByName() throws {
        let fixture = try Fixture()
        try fixture.create("Acme")
        let found = violations { _ = try allPages(fixture.store, CustomerFilter(search: "acme\n1")) }
        #expect(found?.map(\.field) == ["search"])
    }
    /// ``TextInput/maxCodePointsComposedIntoOne`` is Foundation's own bound: no code point that
    /// NFC keeps decomposes into more (U+1F82 and its kin into 4; a Hangul syllable into 3).
    @Test func noCodePointComposesFromMoreThanTheEarlyLengthChecksFactor() {
        var most = 0
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            switch scalar.properties.generalCategory {
            case .unassigned, .privateUse, .surrogate: continue
            default: break
            }
            let text = String(scalar)
            guard Array(text.precomposedStringWithCanonicalMapping.unicodeScalars) == [scalar] else { continue }
            most = max(most, text.decomposedStringWithCanonicalMapping.unicodeScalars.count)
        }
        #expect(most == TextInput.maxCodePointsComposedIntoOne)
    }

    /// A text of more than 4 code points per character allowed cannot fit once composed, so it is
    /// refused before composing (4 MB cost ~0.2 s of CPU to compose first, redteam27), with the
    /// message and field composing would have led to; one that could still fit is composed and
    /// counted. The refused text comes back uncomposed: it was never composed.
    @Test func aTextTooLongWhateverComposingJoinsIsRefusedBeforeItIsComposed() {
        let alphaWithMarks = "\u{3B1}\u{313}\u{300}\u{345}"   // U+1F82 decomposed: 4 code points
        let fits = String(repeating: alphaWithMarks, count: 200)
        let (value, accepted) = TextInput.required(fits, field: "name", maxLength: 200)
        #expect(accepted == nil)
        #expect(Array(value.unicodeScalars) == Array(repeating: "\u{1F82}", count: 200))

        let past = "e\u{301}" + fits
        let (uncomposed, refused) = TextInput.required(past, field: "name", maxLength: 200)
        #expect(refused == FieldViolation(field: "name", reason: "must be 1 to 200 characters after trimming"))
        #expect(uncomposed.unicodeScalars.count == past.unicodeScalars.count, "composed although it could not fit")

        var target: String?
        var violations: [FieldViolation] = []
        CustomerValidator.normalise(past + "\u{1B}", field: "description", maxLength: 200, TextInput.atMost(200, field: "description"),
                                    &target, &violations)
        // A control character is named first, as after composing.
        #expect(violations == [FieldViolation(field: "description", reason: "must be one line without control characters (found U+001B (escape))")])
    }
}

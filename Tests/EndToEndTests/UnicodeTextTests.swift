import CustomerClient
import Foundation
import TestSupport
import Testing

/// Text as international callers send it (unicode22): one visible name in either canonical form
/// is one stored text, and names that would print as something else are refused.
///
/// Swift's `==` on `String` already treats canonically equivalent texts as equal, so what was
/// stored is compared by its code points.
@Suite struct UnicodeTextTests {
    /// "Café Söderström" with combining accents (NFD), as macOS and some web forms send it.
    static let decomposed = "Cafe\u{301} So\u{308}derstro\u{308}m"
    static let composed = "Caf\u{E9} S\u{F6}derstr\u{F6}m"

    @Test func textSentDecomposedIsStoredComposedAndItsLengthCountedSo() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: Self.decomposed,
                                                                            description: Self.decomposed))
            #expect(Array(customer.name.unicodeScalars) == Array(Self.composed.unicodeScalars))
            #expect(Array((customer.description ?? "").unicodeScalars) == Array(Self.composed.unicodeScalars))
            let read = try await client.customers.get(id: customer.id)
            #expect(Array(read.name.unicodeScalars) == Array(Self.composed.unicodeScalars))

            // 200 "é" is the name's limit; sent decomposed it is 400 code points until composed.
            let atTheLimit = String(repeating: "e\u{301}", count: 200)
            let long = try await client.customers.create(CustomerFields(name: atTheLimit))
            #expect(long.name.unicodeScalars.count == 200)
            let past = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(name: atTheLimit + "e\u{301}"))
            }
            #expect(past?.code == .invalidArgument)
            #expect(past?.details.map(\.field) == ["name"])
        }
    }

    @Test func aLabelOrIndustryInTheOtherCanonicalFormIsTheSameOne() async throws {
        try await withServer { _, client in
            _ = try await client.labels.create(.keyword, name: Self.composed)
            let label = await #expect(throws: RPCError.self) {
                try await client.labels.create(.keyword, name: Self.decomposed)
            }
            #expect(label?.code == .alreadyExists)
            #expect(try await client.labels.list(.keyword).count == 1)

            _ = try await client.settings.createIndustry(Self.decomposed)
            let industry = await #expect(throws: RPCError.self) {
                try await client.settings.createIndustry(Self.composed)
            }
            #expect(industry?.code == .alreadyExists)
            let industries = try await client.settings.industries()
            #expect(industries.map { Array($0.name.unicodeScalars) } == [Array(Self.composed.unicodeScalars)])

            // Named in the form it was not created in, each is found.
            let customer = try await client.customers.create(CustomerFields(name: "Acme", industry: Self.composed))
            #expect(customer.industry.map { Array($0.unicodeScalars) } == Array(Self.composed.unicodeScalars))
            let contact = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Aino"),
                                                           keywords: [Self.decomposed])
            #expect(contact.keywords.count == 1)
        }
    }

    /// "Trojan Source" in a name: a right-to-left override makes `Acme ‮yO enilno‬` print as
    /// "Acme online Oy" in every table, and one left open reverses the columns after it.
    @Test func bidirectionalControlsAreRefusedInANameButKeptInANote() async throws {
        try await withServer { _, client in
            for name in ["Acme \u{202E}yO enilno\u{202C}", "\u{2067}Evil\u{2069} Corp", "Acme\u{202D}"] {
                let error = await #expect(throws: RPCError.self) {
                    try await client.customers.create(CustomerFields(name: name))
                }
                #expect(error?.code == .invalidArgument)
                #expect(error?.details.map(\.field) == ["name"])
                let message = error?.message ?? ""
                #expect(message.contains("name: must be one line without bidirectional formatting characters (found U+20"),
                        "\(message)")
                #expect(!message.unicodeScalars.contains { (0x202A...0x2069).contains($0.value) && $0.value != 0x2028 })
            }
            #expect(try await client.customers.list(CustomerQuery(status: .all)).customers.isEmpty)

            let customer = try await client.customers.create(CustomerFields(name: "\u{5D0}\u{5D1}\u{5D2} Ltd"))
            let mixed = "Met \u{2067}\u{5D0}\u{5D1}\u{5D2}\u{2069} at the fair"
            let note = try await client.activities.note(customerID: customer.id, mixed)
            #expect(Array(note.subject.unicodeScalars) == Array(mixed.unicodeScalars))
        }
    }

    @Test func aNameOfOnlyInvisibleCharactersIsRefusedAsEmpty() async throws {
        try await withServer { _, client in
            for name in ["\u{200B}\u{200B}", "\u{FEFF}", "\u{301}\u{308}", "\u{3000}\u{200D}\u{2007}"] {
                let error = await #expect(throws: RPCError.self) {
                    try await client.customers.create(CustomerFields(name: name))
                }
                #expect(error?.code == .invalidArgument)
                #expect(error?.message.contains("name: must be 1 to 200 characters after trimming") == true,
                        "\(error?.message ?? "")")
            }
            #expect(try await client.customers.list(CustomerQuery(status: .all)).customers.isEmpty)
            // Joiners inside a name that shows are kept: Persian writes ZWNJ, emoji sequences ZWJ.
            let kept = "Nima\u{200C}Ha \u{1F469}\u{200D}\u{1F4BB}"
            let customer = try await client.customers.create(CustomerFields(name: kept))
            #expect(Array(customer.name.unicodeScalars) == Array(kept.unicodeScalars))
        }
    }
}


/// A text's length is counted after composing, and a text that cannot fit whatever composing joins
/// (more than 4 code points for each character allowed: U+1F82 is 4 decomposed) is refused before
/// it is composed, with the same answer (gaps28). Both edges through the server.
@Suite struct EarlyLengthCheckTests {
    static let alphaWithMarks = "\u{3B1}\u{313}\u{300}\u{345}"

    @Test func theLongestTextThatComposesUnderTheLimitIsTakenAndOnePastIsRefusedAsBefore() async throws {
        try await withServer { _, client in
            // 800 code points sent, 200 stored: the name's limit exactly.
            let atTheLimit = String(repeating: Self.alphaWithMarks, count: 200)
            let taken = try await client.customers.create(CustomerFields(name: atTheLimit, description: atTheLimit))
            #expect(Array(taken.name.unicodeScalars) == Array(repeating: "\u{1F82}", count: 200))

            for past in ["a" + atTheLimit, atTheLimit + String(repeating: "\u{301}", count: 1_900_000)] {
                let refused = await #expect(throws: RPCError.self) {
                    try await client.customers.create(CustomerFields(name: past))
                }
                #expect(refused?.code == .invalidArgument)
                #expect(refused?.details.map(\.field) == ["name"])
                #expect(refused?.details.map(\.reason) == ["must be 1 to 200 characters after trimming"])
            }
            // A search: 256 characters, 1 024 code points sent, is a search; one more is refused.
            let search = String(repeating: Self.alphaWithMarks, count: 256)
            #expect(try await client.customers.list(CustomerQuery(search: search)).customers.isEmpty)
            let refused = await #expect(throws: RPCError.self) {
                _ = try await client.customers.list(CustomerQuery(search: search + "a"))
            }
            #expect(refused?.details.map(\.reason) == ["must be at most 256 characters"])
            #expect(try await client.customers.list(CustomerQuery()).customers.map(\.id) == [taken.id])
        }
    }
}

/// The fields whose rule is more than a length get the early length check too (gaps28b): an
/// e-mail (254 bytes) and a website (2 048 characters) past 4 code points per one allowed, a VAT
/// or phone number past 1 024 characters, separators included. Both edges through the server.
@Suite struct EarlySeparatedLengthCheckTests {
    @Test func theLongestValuesTakenTodayAreTakenAndOnesFarPastAreRefusedOnTheirField() async throws {
        try await withServer { _, client in
            let email = String(repeating: EarlyLengthCheckTests.alphaWithMarks, count: 80) + "@example.fi"
            let website = "https://example.fi/" + String(repeating: "a", count: 2_048 - 19)
            let vat = "AB" + String(repeating: " ", count: 1_024 - 8) + "123456"
            let vatPast = "AB" + String(repeating: " ", count: 1_024 - 7) + "123456"
            let phone = "+358" + String(repeating: " ", count: 1_024 - 11) + "401234567".prefix(7)
            let taken = try await client.customers.create(
                CustomerFields(name: "Edge", vatNumber: vat, email: email, website: website, phone: phone))
            #expect(taken.vatNumber == "AB123456")
            #expect(taken.email?.unicodeScalars.count == 91)
            #expect(taken.website == website)
            #expect(taken.phone == phone)

            // 3.6 MB, within a frame.
            let far = String(repeating: EarlyLengthCheckTests.alphaWithMarks, count: 450_000)
            let refusals: [(CustomerFields, String, String)] = [
                (CustomerFields(name: "Far", vatNumber: vatPast), "vatNumber",
                 "must be at most 1024 characters, separators included"),
                (CustomerFields(name: "Far", vatNumber: "AB1234 " + far), "vatNumber",
                 "must be at most 1024 characters, separators included"),
                (CustomerFields(name: "Far", phone: phone + " 1"), "phone",
                 "must be at most 1024 characters, separators included"),
                (CustomerFields(name: "Far", email: far + "@example.fi"), "email", "must be at most 254 bytes"),
                (CustomerFields(name: "Far", website: "https://example.fi/" + far), "website",
                 "must be an http or https address with a host"),
            ]
            for (fields, field, reason) in refusals {
                let refused = await #expect(throws: RPCError.self) { try await client.customers.create(fields) }
                #expect(refused?.code == .invalidArgument)
                #expect(refused?.details.map(\.field) == [field])
                #expect(refused?.details.map(\.reason) == [reason])
            }
            #expect(try await client.customers.list(CustomerQuery()).customers.map(\.id) == [taken.id])
        }
    }
}

import BinaryCoding
import CustomerAPI
import CustomerClient
import Foundation
import ServiceLog
import Testing

/// A name the caller sends that the store looks up (a keyword, role, industry or user) is quoted
/// in the refusal as a bounded prefix (redteam33): a 70 000-character keyword was echoed whole,
/// bounded only by the STATUS's 4 KiB message and 8 KiB of details.
@Suite struct QuotedNameTests {
    static let length = 70_000
    static let name = String(repeating: "k", count: length)
    /// What each refusal quotes: the first 100 characters, `…` and the count.
    static let quoted = "'" + String(repeating: "k", count: 100) + "…' (70000 characters)"

    /// The rule (`TerminalText.quoted`): whole up to 100 code points, a prefix and the count past
    /// them, what a terminal would act on escaped.
    @Test func aQuotedNameIsABoundedEscapedPrefix() {
        #expect(TerminalText.quoted("VIP") == "'VIP'")
        #expect(TerminalText.quoted(String(repeating: "é", count: 100)) == "'" + String(repeating: "é", count: 100) + "'")
        #expect(TerminalText.quoted(String(repeating: "x", count: 101)) == "'" + String(repeating: "x", count: 100) + "…' (101 characters)")
        #expect(TerminalText.quoted("a\u{1B}[2J\u{202E}b", quote: "\"") == "\"a\\u{1B}[2J\\u{202E}b\"")
    }

    @Test func aLongNameLookedUpIsQuotedAsABoundedPrefix() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Quoted Oy"))
            let contact = try await client.contacts.create(customerID: customer.id, ContactFields(lastName: "Lee"))
            var refusals: [(String, RPCError?)] = []
            refusals.append(("delete keyword", await outcome { _ = try await client.labels.delete(.keyword, name: Self.name) }))
            refusals.append(("delete role", await outcome { _ = try await client.labels.delete(.role, name: Self.name) }))
            refusals.append(("delete industry", await outcome { _ = try await client.settings.deleteIndustry(Self.name) }))
            refusals.append(("tag", await outcome { _ = try await client.contacts.tag(id: contact.id, keywords: [Self.name]) }))
            refusals.append(("account manager", await outcome {
                _ = try await client.customers.create(CustomerFields(name: "Managed Oy", accountManager: Self.name))
            }))
            for (what, error) in refusals {
                let texts = [error?.message ?? ""] + (error?.details.map(\.reason) ?? [])
                #expect(texts.contains { $0.contains(Self.quoted) }, "\(what): \(String(describing: error))")
                #expect(texts.allSatisfy { $0.utf8.count < 400 }, "\(what): \(texts.map(\.utf8.count))")
            }
            #expect(refusals.map { $0.1?.code } == [.notFound, .notFound, .notFound, .invalidArgument, .invalidArgument])
            // Reflection, open to every local user: the name bounded, its escape sequence escaped.
            for (name, shown) in [(Self.name, "\"" + String(repeating: "k", count: 100) + "…\" (70000 characters)"),
                                  ("x\u{1B}[2Jy", "\"x\\u{1B}[2Jy\"")] {
                let unknown = await outcome { _ = try await client.server.describe(services: [name]) }
                #expect(unknown?.code == .notFound)
                #expect(unknown?.message == "no service named \(shown)", "\(String(describing: unknown))")
                #expect(unknown?.details.allSatisfy { $0.reason.utf8.count < 400 } == true)
            }
            // A name that could exist is quoted whole, as before.
            let short = await outcome { _ = try await client.labels.delete(.keyword, name: "unused") }
            #expect(short?.message.contains("no keyword is named 'unused'") == true, "\(String(describing: short))")
        }
    }
    /// A text the request's decoder refuses, a decimal or an enum's value (redteam34): the refusal
    /// quotes it by the same rule, 100 code points escaped and the count. Before, the whole text,
    /// escape sequences included, bounded only by the STATUS's 4 KiB message.
    @Test func aLongDecimalOrEnumTextIsQuotedAsABoundedPrefix() async throws {
        try await withServer { _, client in
            func text(_ field: UInt8, _ value: String) -> [UInt8] {
                var bytes: [UInt8] = [field << 3 | 2]
                Varint.append(UInt64(value.utf8.count), to: &bytes)
                return bytes + Array(value.utf8)
            }
            let hostile = "\u{1B}[2J" + String(repeating: "1", count: Self.length)
            let shown = "\"\\u{1B}[2J" + String(repeating: "1", count: 96) + "…\" (70004 characters)"
            // SetForecastRequest: projectId (1, zigzag), month (2), revenue (3), cost (4), billing (5), hours (6).
            let forecast = [0x08, 0x02] + text(2, "2027-01") + text(3, hostile) + text(4, "0") + text(5, "0") + text(6, "0")
            // RefreshFromRegistryRequest: customerId (1) = 1, fields (2) = [hostile].
            let refresh = [0x08, 0x02] + text(2, hostile)
            let cases: [(MethodDescriptor, [UInt8], String)] = [
                (FinancialService.setForecast.descriptor, forecast, "field 3: invalid decimal \(shown)"),
                (CustomerService.refreshFromRegistry.descriptor, refresh, "field 2 (fields): \(shown) is not a value of the enum RefreshField"),
            ]
            for (method, payload, expected) in cases {
                let error = await outcome { _ = try await client.channel.unary(method, payload: payload) }
                #expect(error?.code == .invalidArgument)
                #expect(error?.message.contains(expected) == true, "\(method.fullName): \(String(describing: error?.message.prefix(300)))")
                #expect((error?.message.utf8.count ?? .max) < 400, "\(method.fullName): \(error?.message.utf8.count ?? 0)")
            }
        }
    }
}

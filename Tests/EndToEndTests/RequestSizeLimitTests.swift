import CustomerClient
import Foundation
import Testing

/// Requests whose repeated fields would make one call hold the store's single writer for long
/// (docs/HARDENING.md), through a real server and socket: refused before the write begins.
@Suite struct RequestSizeLimitTests {
    /// 200 000 segment ids: each was looked up inside the write transaction, every other write
    /// waiting, and the refusal listed all of them. Now refused by count, naming the field.
    @Test func aMillionSegmentIdsAreRefusedByCountAndOthersStillWrite() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Segmented Oy"))
            let error = await outcome {
                _ = try await client.settings.setCustomerSegments(customerID: customer.id, Array(1...200_000))
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.details.map(\.field) == ["segmentIds"])
            #expect(error?.message.contains("at most 1000 distinct segments, got 200000") == true, "\(String(describing: error))")

            let unknown = await outcome {
                _ = try await client.settings.setCustomerSegments(customerID: customer.id, Array(1...50))
            }
            #expect(unknown?.message.contains("and 30 more") == true, "\(String(describing: unknown))")
            let nordics = try await client.settings.createSegment("Nordics")
            #expect(try await client.settings.setCustomerSegments(customerID: customer.id, [nordics.id]).map(\.id) == [nordics.id])
        }
    }

    /// 100 000 copies of one keyword (the distinct-name cap counts one; 300 000, as this test sent
    /// before, are now refused by the request's decoder, past its 131 072 occurrences): every copy
    /// was looked up, and when tagging written, inside the write transaction (a million copies held
    /// the writer 19 s, every other write waiting), and an unknown one was refused once per copy.
    /// Now each name is looked up once and refused once.
    @Test func aKeywordRepeatedAHundredThousandTimesIsOneName() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Tagged Oy"))
            let contact = try await client.contacts.create(customerID: customer.id, ContactFields(lastName: "Lee"))
            let copies = 100_000
            let unknown = await outcome {
                _ = try await client.contacts.tag(id: contact.id, keywords: Array(repeating: "unknown", count: copies))
            }
            #expect(unknown?.code == .invalidArgument)
            #expect(unknown?.details.map(\.field) == ["keywords"], "\(String(describing: unknown))")
            #expect(unknown?.message.contains("no keyword is named 'unknown'") == true, "\(String(describing: unknown))")
            let refusedCreate = await outcome {
                _ = try await client.contacts.create(customerID: customer.id, ContactFields(lastName: "Lee"),
                                                     roles: Array(repeating: " buyer ", count: copies))
            }
            #expect(refusedCreate?.details.map(\.field) == ["roles"], "\(String(describing: refusedCreate))")

            _ = try await client.labels.create(.keyword, name: "xmas")
            let tagged = try await client.contacts.tag(id: contact.id, keywords: Array(repeating: "xmas", count: copies))
            #expect(tagged.keywords == ["xmas"])
            #expect(tagged.version == contact.version + 1)
            let untagged = try await client.contacts.untag(id: contact.id, keywords: Array(repeating: "xmas", count: copies))
            #expect(untagged.keywords == [])
        }
    }

    /// A search term of 60 000 characters: SQLite refuses LIKE patterns over 50 000 bytes, and the
    /// listing failed INTERNAL with an error line in the log per call. Now refused by length on
    /// `search` before the store is read; a term of the longest length still searches.
    @Test func aSearchLongerThanAnySearchedFieldIsRefusedOnSearch() async throws {
        try await withServer { _, client in
            _ = try await client.customers.create(CustomerFields(name: "Searched Oy"))
            for query in [CustomerQuery(search: String(repeating: "a", count: 60_000)),
                          CustomerQuery(search: String(repeating: "é", count: 257))] {
                let error = await outcome { _ = try await client.customers.list(query, limit: 10) }
                #expect(error?.code == .invalidArgument, "\(String(describing: error))")
                #expect(error?.details.map(\.field) == ["search"])
                #expect(error?.message.contains("must be at most 256 characters") == true, "\(String(describing: error))")
            }
            let longest = try await client.customers.list(CustomerQuery(search: "searched oy" + String(repeating: " x", count: 120)),
                                                          limit: 10)
            #expect(longest.customers.isEmpty)
            #expect(try await client.customers.list(CustomerQuery(search: "searched"), limit: 10).customers.map(\.name) == ["Searched Oy"])
        }
    }

    /// The repeated fields naming values of a small fixed set had no cap but the 4 MiB frame:
    /// 300 000 unknown `doNotFill` names were refused one violation each (the fillable fields
    /// listed every time), 1 800 000 `clear` entries decoded and walked while a create waited.
    /// Now each holds at most 64 entries, copies included, refused on the field with nothing done
    /// (sent here under the request decoder's limits, which refuse more before any handler runs).
    @Test func repeatedFieldsOfAFixedSetHoldAtMost64Entries() async throws {
        try await withServer { _, client in
            let kept = try await client.customers.create(CustomerFields(name: "Kept Oy"))
            let absorbed = try await client.customers.create(CustomerFields(name: "Absorbed Oy", email: "a@example.com"))
            let task = try await client.activities.task(customerID: kept.id, "Call", due: Date(timeIntervalSince1970: 1_900_000_000))
            func expectRefused(_ field: String, _ count: Int, _ call: () async throws -> Void) async {
                let error = await outcome(of: call)
                #expect(error?.code == .invalidArgument, "\(field): \(String(describing: error))")
                #expect(error?.details.map(\.field) == [field], "\(String(describing: error))")
                #expect(error?.message == "\(field): at most 64 entries (each value once is enough), got \(count)")
            }
            await expectRefused("doNotFill", 100_000) {
                _ = try await client.customers.merge(keep: kept.id, absorb: absorbed.id,
                                                     doNotFill: Array(repeating: "nothing", count: 100_000))
            }
            await expectRefused("clear", 200_000) {
                _ = try await client.activities.update(UpdateActivityRequest(
                    id: task.id, subject: "Changed", clear: Array(repeating: .dueDate, count: 200_000)))
            }
            await expectRefused("tabs", 65) {
                _ = try await client.cards.get(customerID: kept.id, tabs: Array(repeating: .files, count: 65))
            }
            await expectRefused("fields", 65) {
                _ = try await client.customers.refreshFromRegistry(id: kept.id, fields: Array(repeating: .email, count: 65))
            }
            await expectRefused("kinds", 65) {
                for try await _ in client.changes.watch(after: 0, kinds: Array(repeating: .customer, count: 65)) {}
            }

            #expect(try await client.customers.get(id: absorbed.id).name == "Absorbed Oy")
            let unchanged = try await client.activities.list(customerID: kept.id).planned
            #expect(unchanged.map(\.subject) == ["Call"])
            #expect(unchanged.first?.dueDate != nil)
            let merge = try await client.customers.merge(keep: kept.id, absorb: absorbed.id, dryRun: true,
                                                         doNotFill: Array(repeating: "email", count: 64))
            #expect(merge.filled.map(\.field).contains("email") == false)
            let card = try await client.cards.get(customerID: kept.id, tabs: Array(repeating: .settings, count: 64))
            #expect(card.customer.name == "Kept Oy")
        }
    }
}

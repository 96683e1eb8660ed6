import CustomerClient
import Foundation
import Testing

/// Text is composed (NFC) before its length is counted, and Foundation puts each run of combining
/// marks in canonical order by a sort whose cost grows with the square of the run: a 4 MiB name of
/// two alternating marks took about 40 minutes of a core before its "too long" answer (redteam27,
/// `contrib/hostile/text_work.py`: 0.15, 0.55 and 2.3 s for 32, 64 and 128 KiB against main's
/// release build). The server now breaks runs of more than 30 marks with a combining grapheme
/// joiner (Unicode's Stream-Safe Text Process), so every text is composed in linear time.
@Suite struct CombiningMarkRunTests {
    /// U+0301 (class 230) then U+0316 (class 220): canonical order swaps every pair.
    static let alternatingMarks = "\u{0301}\u{0316}"

    @Test func aRunOfCombiningMarksIsStoredStreamSafeAndCanonicallyTheSame() async throws {
        try await withServer { _, client in
            let sent = "Cafe" + String(repeating: Self.alternatingMarks, count: 100) + " Oy"
            let created = try await client.customers.create(CustomerFields(name: "Marks Oy", description: sent))
            let stored = try #require(try await client.customers.get(id: created.id).description)
            let longest = Self.longestRunOfMarks(in: stored)
            #expect(longest <= 30, "a run of \(longest) combining marks was stored")
            // Only joiners were added: without them the text is the one sent, canonically.
            let withoutJoiners = String(String.UnicodeScalarView(stored.unicodeScalars.filter { $0 != "\u{034F}" }))
            #expect(withoutJoiners == sent)
            #expect(stored.unicodeScalars.filter { $0 == "\u{034F}" }.count == 6)  // 200 marks: one joiner after each 30
        }
    }

    @Test func aFrameLongNameOfAlternatingMarksIsRefusedByItsLength() async throws {
        try await withServer { _, client in
            let name = "a" + String(repeating: Self.alternatingMarks, count: 900_000)  // 3.6 MB
            let error = await outcome { _ = try await client.customers.create(CustomerFields(name: name)) }
            #expect(error?.code == .invalidArgument, "\(String(describing: error))")
            #expect(error?.details.map(\.field) == ["name"])
            let listed = try await client.customers.list(CustomerQuery(status: .all)).customers
            #expect(listed.isEmpty)
        }
    }

    static func longestRunOfMarks(in text: String) -> Int {
        var longest = 0, run = 0
        for scalar in text.unicodeScalars {
            run = scalar.properties.canonicalCombiningClass == .notReordered ? 0 : run + 1
            longest = max(longest, run)
        }
        return longest
    }
}

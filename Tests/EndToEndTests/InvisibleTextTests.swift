import CustomerClient
import Foundation
import TestSupport
import Testing

/// What does not show is not compared: a name with a zero-width space or U+FEFF inside (pasted
/// from a web page, or a CSV cell with a byte order mark in the middle) prints as the name
/// without it, so search and duplicate detection treat it so; customerctl prints a
/// bidirectional control stored before the server refused them as an escape, and keeps its
/// table's columns aligned whatever characters the names hold.
@Suite struct InvisibleTextTests {
    @Test func aNameWithAZeroWidthCharacterInsideIsFoundAndPairedAsTheNameWithout() async throws {
        try await withServer { _, client in
            let plain = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let hidden = try await client.customers.create(CustomerFields(name: "Ac\u{200B}me O\u{FEFF}y"))
            let found = try await client.customers.list(CustomerQuery(status: .all, search: "acme")).customers
            #expect(Set(found.map(\.id)) == [plain.id, hidden.id])
            let pairs = try await client.customers.findDuplicates().pairs
            #expect(pairs.contains { Set([$0.first.id, $0.second.id]) == [plain.id, hidden.id] }, "\(pairs)")
        }
    }

    @Test func aStoredBidirectionalOverrideIsPrintedEscapedByCustomerctl() async throws {
        let name = "Acme \u{202E}yO enilno\u{202C} \u{2067}x\u{2069}"
        let (directory, id) = try await onThread { try LegacyTextSeeder.seed(customerName: name) }
        try await withTestServer(start: { try TestServer(directory: directory) }, stop: { $0.stop() }) { server in
            let escaped = "Acme \\u{202E}yO enilno\\u{202C} \\u{2067}x\\u{2069}"
            let list = try await runProduct("customerctl", ["--socket", server.socketPath, "customers", "list"])
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.stdout.contains(escaped), "\(list.stdout)")
            let get = try await runProduct("customerctl", ["--socket", server.socketPath, "customers", "get", String(id)])
            for output in [list.stdout, get.stdout] {
                #expect(!output.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) })
            }
        }
    }

    /// Every row's columns start where the header's do, counted in characters, whatever the
    /// names hold: an emoji ZWJ sequence, a code point beyond U+FFFF, a combining sequence.
    @Test func customerctlTableColumnsStayAlignedWithEmojiAndAstralCharacters() async throws {
        try await withServer { server, client in
            for name in ["Acme", "Team \u{1F469}\u{200D}\u{1F4BB}", "Max \u{1D11E} Music", "x\u{301}y"] {
                _ = try await client.customers.create(CustomerFields(name: name, country: "FI"))
            }
            let list = try await runProduct("customerctl", ["--socket", server.socketPath, "customers", "list"])
            #expect(list.status == 0, "\(list.stderr)")
            let lines = list.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 5)
            guard let header = lines.first, let column = header.range(of: "COUNTRY") else {
                Issue.record("no COUNTRY column: \(list.stdout)")
                return
            }
            let offset = header.distance(from: header.startIndex, to: column.lowerBound)
            for row in lines.dropFirst() {
                let country = row.range(of: "  FI  ").map { row.distance(from: row.startIndex, to: $0.lowerBound) + 2 }
                #expect(country == offset, "\(row)")
            }
        }
    }
}

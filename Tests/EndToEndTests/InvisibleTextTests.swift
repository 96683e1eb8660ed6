import CustomerClient
import Foundation
import TestSupport
import Testing

/// What does not show is not compared: a name with a zero-width space or U+FEFF inside (pasted
/// from a web page, or a CSV cell with a byte order mark in the middle) prints as the name
/// without it, so search and duplicate detection treat it so; and customerctl prints a
/// bidirectional control stored before the server refused them as an escape.
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
}

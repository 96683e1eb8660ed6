import CustomerClient
import Foundation
import SQLiteEngine
import Testing
import TestSupport

/// Searches through the real server, answered from the trigram index (migration 29) for terms of
/// three or more code points, which the server brings up to date behind its writes: right after
/// every kind of write (the index most likely behind it) and once the index has caught up, a
/// search finds what the customer's text holds now and nothing it held before.
@Suite struct SearchIndexEndToEndTests {
    @Test func aSearchFindsEachCustomerAsItsLastWriteLeftIt() async throws {
        try await withServer { server, client in
            func names(_ text: String) async throws -> [String] {
                try await client.customers.list(CustomerQuery(status: .all, search: text)).customers.map(\.name).sorted()
            }
            /// Every search below, as the server answers it now.
            func answers() async throws -> [String: [String]] {
                var answers: [String: [String]] = [:]
                for term in ["ACME 50%", "50%", "r_b", "MULLER", "müller", "schmidt", "quokka", "twin", "acme", "väinö",
                             "01120389", "0112038-9", "renamed"] {
                    answers[term] = try await names(term)
                }
                return answers
            }
            let acme = try await client.customers.create(CustomerFields(name: "Acme 50% Oy", country: "FI", email: "sales@acme-1.fi"))
            let muller = try await client.customers.create(CustomerFields(name: "Müller_Bau GmbH", country: "DE"))
            let vat = try await client.customers.create(CustomerFields(name: "Väinö Oy", vatNumber: "FI01120389", country: "FI"))
            #expect(try await names("ACME 50%") == ["Acme 50% Oy"])
            #expect(try await names("50%") == ["Acme 50% Oy"])
            #expect(try await names("r_b") == ["Müller_Bau GmbH"])
            #expect(try await names("MULLER") == ["Müller_Bau GmbH"])
            #expect(try await names("0112038-9") == ["Väinö Oy"])
            #expect(try await names("fi 0112038 9") == ["Väinö Oy"])
            #expect(try await names("vainö") == ["Väinö Oy"])
            // Across the line feed between the name and the number: no customer's field holds it.
            #expect(try await names("oy\(acme.number)").isEmpty)
            #expect(try await names("oy \(acme.number)").isEmpty)
            #expect(try await names("\(acme.number)") == ["Acme 50% Oy"])

            // An update: the new name is found, the old one no longer.
            _ = try await client.customers.update(id: muller.id, CustomerFields(name: "Schmidt Bau GmbH", country: "DE"))
            #expect(try await names("müller").isEmpty)
            #expect(try await names("schmidt") == ["Schmidt Bau GmbH"])

            // An import: its rows are found.
            _ = try await client.customers.importRecords(ImportOptions()) { send in
                try await send([CustomerRecord(line: 2, fields: CustomerFields(name: "Imported Quokka Ab", country: "SE"))])
            }
            #expect(try await names("quokka") == ["Imported Quokka Ab"])

            // A merge: the absorbed customer is no longer listed, the kept one is.
            let twin = try await client.customers.create(CustomerFields(name: "Acme Twin Oy", country: "FI"))
            _ = try await client.customers.merge(keep: acme.id, absorb: twin.id)
            #expect(try await names("twin").isEmpty)
            #expect(try await names("acme") == ["Acme 50% Oy"])

            // An erasure: nothing of the name is searchable.
            try await client.customers.delete(id: vat.id, confirm: true)
            #expect(try await names("väinö").isEmpty)
            #expect(try await names("01120389").isEmpty)

            // A rename right after a create: the new name found at once, the old one not.
            let fresh = try await client.customers.create(CustomerFields(name: "Brandnew Quokka Oy", country: "FI"))
            _ = try await client.customers.update(id: fresh.id, CustomerFields(name: "Renamed Wombat Oy", country: "FI"))
            #expect(try await names("brandnew").isEmpty)
            #expect(try await names("renamed") == ["Renamed Wombat Oy"])
            #expect(try await names("quokka") == ["Imported Quokka Ab"])

            // Once the index has followed every write, the same answers.
            let behind = try await answers()
            #expect(try await Self.waitUntilIndexed(server.databasePath))
            #expect(try await answers() == behind)
            #expect(behind["schmidt"] == ["Schmidt Bau GmbH"] && behind["müller"] == [] && behind["acme"] == ["Acme 50% Oy"])
        }
    }

    /// Waits (a bounded while) until the server's index has followed every history entry, read
    /// from the database on a connection of the test's own. - Returns: whether it has.
    private static func waitUntilIndexed(_ path: String) async throws -> Bool {
        for _ in 0..<600 {
            let lag = try await onThread {
                let reader = try SQLiteConnection(path: path, role: .reader, busyTimeoutMilliseconds: 5_000)
                defer { reader.close() }
                return try reader.withStatement("""
                    SELECT count(*) FROM history WHERE id > (SELECT indexed_through FROM customer_search_state)
                    """) { try $0.step() ? $0.int64(0) : -1 }
            }
            if lag == 0 { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}

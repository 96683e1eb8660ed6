import CustomerClient
import Foundation
import Testing

/// customerd started on a database from before business ids (schema version 9): the customers it
/// kept get the business id their VAT number names under the country's rule, shown through the API.
@Suite struct BusinessIDBackfillTests {
    @Test func aServerOnAVersion9DatabaseShowsTheBusinessIDsOfItsOldCustomers() async throws {
        let directory = try LegacySchemaSeeder.version9(customers: [
            (name: "Nokia Oyj", vatNumber: "FI01120389", country: "FI"),
            (name: "Equinor ASA", vatNumber: "NO923609016MVA", country: nil),
            (name: "Beispiel GmbH", vatNumber: "DE136695976", country: "DE"),
        ])
        try await withTestServer(start: { try TestServer(directory: directory) }, stop: { $0.stop() }) { server in
            let client = server.client()
            defer { client.close() }
            let nokia = try await client.customers.get(id: 1)
            #expect(nokia.businessId == "0112038-9")
            #expect(nokia.version == 1)  // derived, not edited
            #expect(try await client.customers.get(id: 2).businessId == "923609016")
            #expect(try await client.customers.get(id: 3).businessId == nil)
        }
    }
}

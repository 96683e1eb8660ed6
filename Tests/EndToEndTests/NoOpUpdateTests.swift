import CustomerClient
import Foundation
import TestSupport
import Testing

/// An `UpdateCustomer` whose every given field equals the stored value once normalised (trimmed,
/// composed, the same VAT number in another spelling) changes nothing: the customer comes back as
/// it is, with no new version, no history entry and no change-feed event (gaps28; each such call
/// used to write all three, redteam27). The optimistic check and idempotency keys hold as for any
/// update, and a real change still writes all three.
@Suite struct NoOpUpdateTests {
    /// What a user or a feed consumer sees of one customer's writes.
    struct Trace: Equatable {
        var version: Int64
        var updatedAt: Date
        var historyEntries: Int
        var feedLast: Int64

        init(_ client: CustomerClient, _ id: Int64) async throws {
            let customer = try await client.customers.get(id: id)
            version = customer.version
            updatedAt = customer.updatedAt
            historyEntries = try await client.history.list(.customer, id: id).count
            feedLast = try await client.changes.bounds().last
        }
    }

    @Test func anUpdateToTheStoredValuesWritesNoVersionNoHistoryAndNoEvent() async throws {
        try await withServer { _, client in
            let created = try await client.customers.create(CustomerFields(
                name: "Caf\u{E9} Oy", description: "Roastery", email: "info@cafe.example", phone: "+358 40 123 4567"))
            let before = try await Trace(client, created.id)

            let sameValues = [
                CustomerFields(phone: "+358 40 123 4567"),
                CustomerFields(name: "  Cafe\u{301} Oy \n", description: "Roastery"),   // trimmed and composed, it is the name
                CustomerFields(name: "Caf\u{E9} Oy", description: "Roastery", email: "info@cafe.example",
                               phone: "+358 40 123 4567"),
                CustomerFields(),
            ]
            for fields in sameValues {
                let answered = try await client.customers.update(id: created.id, fields, expectedVersion: created.version)
                #expect(answered == created, "\(fields)")
            }
            var keyed = CallOptions()
            keyed.idempotencyKey = "no-op-1"
            let first = try await client.customers.update(id: created.id, CustomerFields(phone: "+358 40 123 4567"), options: keyed)
            #expect(try await client.customers.update(id: created.id, CustomerFields(phone: "+358 40 123 4567"), options: keyed) == first)
            #expect(first == created)
            #expect(try await Trace(client, created.id) == before)

            // A stale expected version is refused even when nothing would change.
            let stale = await #expect(throws: RPCError.self) {
                try await client.customers.update(id: created.id, CustomerFields(phone: "+358 40 123 4567"),
                                                  expectedVersion: created.version - 1)
            }
            #expect(stale?.code == .aborted)

            // A real change still writes a version, one entry and one event.
            let changed = try await client.customers.update(id: created.id, CustomerFields(phone: "+358 40 765 4321"),
                                                            expectedVersion: created.version)
            let after = try await Trace(client, created.id)
            #expect(changed.version == created.version + 1)
            #expect(after.version == before.version + 1)
            #expect(after.historyEntries == before.historyEntries + 1)
            #expect(after.feedLast == before.feedLast + 1)
            let entry = try #require(try await client.history.list(.customer, id: created.id).last)
            #expect(entry.changes.map(\.field) == ["phone"])
        }
    }
    /// The same for a contact and an address, the other records whose updates are text fields.
    @Test func aContactOrAddressUpdatedToItsStoredValuesIsLeftAsItIs() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Records Oy"))
            let contact = try await client.contacts.create(customerID: customer.id,
                                                           ContactFields(firstName: "Ann\u{E9}", lastName: "Virtanen"))
            let address = try await client.addresses.add(customerID: customer.id, AddressFields(city: "Espoo", country: "FI"))
            let historyBefore = try await client.history.list(.customer, id: customer.id).count
            let feedBefore = try await client.changes.bounds().last

            let sameContact = try await client.contacts.update(id: contact.id, ContactFields(firstName: " Anne\u{301} "),
                                                               expectedVersion: contact.version)
            #expect(sameContact == contact)
            let sameAddress = try await client.addresses.update(id: address.id, AddressFields(city: "Espoo", country: "fi"),
                                                                expectedVersion: address.version)
            #expect(sameAddress == address)
            #expect(try await client.changes.bounds().last == feedBefore)
            #expect(try await client.history.list(.contact, id: contact.id).count == 1)
            #expect(try await client.history.list(.customer, id: customer.id).count == historyBefore)

            let renamed = try await client.contacts.update(id: contact.id, ContactFields(firstName: "Anna"))
            let moved = try await client.addresses.update(id: address.id, AddressFields(city: "Helsinki"))
            #expect(renamed.version == contact.version + 1)
            #expect(moved.version == address.version + 1)
            #expect(try await client.changes.bounds().last == feedBefore + 2)
            #expect(try await client.history.list(.contact, id: contact.id).last?.changes.map(\.field) == ["firstName"])
        }
    }
}

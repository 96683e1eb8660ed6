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

    /// Every other update that writes a version, a history entry or a feed event does the same
    /// (gaps29): a project, an activity (its times to the millisecond), a customer's settings, a
    /// forecast, a customer or contact deactivated again, a keyword renamed to its name, a
    /// permission profile given the rights it has. Each used to take a new version, and all but
    /// the settings and the profile wrote an entry and a feed event with no changes.
    @Test func everyOtherUpdateToItsStoredValuesWritesNothing() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Records Oy"))
            let sale = try await client.projects.createSalesCase(customerID: customer.id, ProjectFields(
                name: "Caf\u{E9} build", probability: 40, expectedValue: Decimal(string: "1200.50"), expectedCurrency: "EUR",
                expectedClose: "2027-03-31"))
            let project = try await client.projects.createProject(customerID: customer.id, ProjectFields(
                name: "Build", startsOn: "2027-01-01", currency: "EUR"))
            let start = Date(timeIntervalSince1970: 1_800_000_000.123)
            let event = try await client.activities.event(customerID: customer.id, "Kick-off", from: start,
                                                          to: start.addingTimeInterval(3_600.5))
            let note = try await client.activities.note(customerID: customer.id, "First line\nsecond line")
            let settings = try await client.settings.update(customerID: customer.id,
                                                            CustomerSettingsFields(paymentTermDays: 30, reference: "Ref 1"))
            let forecast = SetForecastRequest(projectId: project.id, month: "2027-01", revenue: 100, cost: 40, billing: 90,
                                              hours: Decimal(string: "12.5") ?? 0)
            _ = try await client.projects.setForecast(forecast)
            let contact = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Anna"))
            _ = try await client.labels.create(.keyword, name: "VIP")
            let tagged = try await client.contacts.tag(id: contact.id, keywords: ["VIP"])
            let deactivatedContact = try await client.contacts.deactivate(id: contact.id)
            let deactivated = try await client.customers.deactivate(id: customer.id)
            let profile = try await client.profiles.create(name: "Auditor", rights: Rights(readCustomers: .all))
            let projectEntries = try await client.history.list(.project, id: project.id).count
            let saleEntries = try await client.history.list(.project, id: sale.id).count
            let feedBefore = try await client.changes.bounds().last

            #expect(try await client.projects.update(id: sale.id, ProjectFields(name: " Cafe\u{301} build ",
                expectedValue: Decimal(string: "1200.5"), expectedClose: "2027-03-31"), expectedVersion: sale.version)
                == sale)
            #expect(try await client.projects.update(id: project.id, ProjectFields(name: "Build", startsOn: "2027-01-01",
                                                                                  currency: "EUR")) == project)
            #expect(try await client.activities.update(UpdateActivityRequest(
                id: event.id, expectedVersion: event.version, subject: " Kick-off ", startsAt: start,
                endsAt: start.addingTimeInterval(3_600.5))) == event)
            #expect(try await client.activities.update(UpdateActivityRequest(id: note.id, subject: "First line\nsecond line"))
                == note)
            #expect(try await client.settings.update(customerID: customer.id, CustomerSettingsFields(reference: " Ref 1"),
                                                     expectedVersion: settings.version) == settings)
            _ = try await client.projects.setForecast(forecast)
            #expect(try await client.contacts.deactivate(id: contact.id) == deactivatedContact)
            #expect(try await client.customers.deactivate(id: customer.id) == deactivated)
            _ = try await client.labels.rename(.keyword, name: "VIP", to: " VIP ")
            #expect(try await client.contacts.get(id: contact.id).version == tagged.version + 1)
            #expect(try await client.profiles.update(name: "Auditor", rights: RightsChanges(readCustomers: .all),
                                                     expectedVersion: profile.version) == profile)
            #expect(try await client.changes.bounds().last == feedBefore)
            #expect(try await client.history.list(.project, id: project.id).count == projectEntries)
            #expect(try await client.history.list(.project, id: sale.id).count == saleEntries)

            // A stale expected version is still refused, and a real change (a millisecond later) still writes.
            let stale = await #expect(throws: RPCError.self) {
                try await client.projects.update(id: sale.id, ProjectFields(name: "Caf\u{E9} build"),
                                                 expectedVersion: sale.version - 1)
            }
            #expect(stale?.code == .aborted)
            let moved = try await client.activities.update(UpdateActivityRequest(
                id: event.id, startsAt: start.addingTimeInterval(0.001)))
            #expect(moved.version == event.version + 1)
            #expect(try await client.changes.bounds().last == feedBefore + 1)
        }
    }
}

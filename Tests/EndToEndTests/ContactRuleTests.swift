import CustomerClient
import Foundation
import TestSupport
import Testing

/// BRIEF.md, Contact persons: every rule, each by name, through a real server.
@Suite struct ContactRuleTests {
    static let aino = ContactFields(
        firstName: "Aino", lastName: "Virtanen", title: "CFO", email: "aino@acme.fi", phone: "+358 9 123 456",
        mobile: "+358 50 765 4321", language: "fi", notes: "Prefers email")

    @Test func contactsKeepTheirFieldsAndCreatedAndUpdatedAtAndBy() async throws {
        try await withServer { _, client in
            let me = try await client.users.whoAmI()
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let contact = try await client.contacts.create(customerID: customer.id, Self.aino)
            #expect(contact.firstName == "Aino")
            #expect(contact.email == "aino@acme.fi")
            #expect(contact.active)
            #expect(!contact.deleted)
            #expect(contact.createdBy.id == me.id)
            let updated = try await client.contacts.update(id: contact.id, ContactFields(title: "CEO", notes: ""), expectedVersion: 1)
            #expect(updated.title == "CEO")
            #expect(updated.notes == nil)
            #expect(updated.createdAt == contact.createdAt)
            #expect(updated.updatedAt > contact.updatedAt)
            #expect(try await client.contacts.get(id: contact.id) == updated)
            let invalid = await #expect(throws: RPCError.self) {
                try await client.contacts.create(customerID: customer.id, ContactFields(email: "nope"))
            }
            #expect(invalid?.code == .invalidArgument)
            let invalidFields = Set(invalid?.details.map(\.field) ?? [])
            #expect(invalidFields.isSuperset(of: ["email", "firstName"]))
        }
    }

    @Test func aDeactivatedContactIsHiddenUnlessAskedForAndCanBeReactivated() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let aino = try await client.contacts.create(customerID: customer.id, Self.aino)
            let pekka = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Pekka"))
            _ = try await client.contacts.deactivate(id: pekka.id)
            #expect(try await client.contacts.list(customerID: customer.id).map(\.id) == [aino.id])
            let all = try await client.contacts.list(customerID: customer.id, includeDeactivated: true)
            #expect(Set(all.map(\.id)) == [aino.id, pekka.id])
            // It can be edited while deactivated, then reactivated.
            _ = try await client.contacts.update(id: pekka.id, ContactFields(lastName: "Korhonen"))
            let back = try await client.contacts.activate(id: pekka.id)
            #expect(back.active)
            #expect(back.lastName == "Korhonen")
            #expect(try await client.contacts.list(customerID: customer.id).count == 2)
        }
    }

    @Test func deletingAContactNeedsConfirmation() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let contact = try await client.contacts.create(customerID: customer.id, Self.aino)
            let error = await #expect(throws: RPCError.self) { try await client.contacts.delete(id: contact.id, confirm: false) }
            #expect(error?.code == .failedPrecondition)
            #expect(try await client.contacts.get(id: contact.id) == contact)
        }
    }

    @Test func aDeletedContactIsErasedAndEveryReferenceShowsContactDeleted() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            _ = try await client.labels.create(.keyword, name: "newsletter")
            let contact = try await client.contacts.create(customerID: customer.id, Self.aino, keywords: ["newsletter"])
            _ = try await client.contacts.update(id: contact.id, ContactFields(email: "aino.virtanen@acme.fi"))
            let task = try await client.activities.task(customerID: customer.id, "Call Aino", contactID: contact.id)
            #expect(task.contact == ContactRef(id: contact.id, name: "Aino Virtanen", deleted: false))

            let tombstone = try await client.contacts.delete(id: contact.id, confirm: true)
            #expect(tombstone.deleted)
            #expect(tombstone.id == contact.id)
            for personal in [tombstone.firstName, tombstone.lastName, tombstone.email, tombstone.phone, tombstone.mobile, tombstone.notes, tombstone.title] {
                #expect(personal == nil)
            }
            #expect(tombstone.keywords.isEmpty)

            // References keep the id and carry the deleted marker instead of the name.
            let activities = try await client.activities.list(customerID: customer.id)
            #expect(activities.planned.first?.contact == ContactRef(id: contact.id, name: nil, deleted: true))
            // The history keeps its entries but not the values.
            let history = try await client.history.list(.contact, id: contact.id)
            #expect(history.map(\.action).contains("updated"))
            #expect(history.allSatisfy { $0.contact?.deleted == true })
            let values = history.flatMap(\.changes).flatMap { [$0.oldValue, $0.newValue] }.compactMap { $0 }
            #expect(!values.contains { $0.contains("aino") || $0.contains("Aino") })
            // Not listed, not on the mailing list, and nothing can change it any more.
            #expect(try await client.contacts.list(customerID: customer.id, includeDeactivated: true).isEmpty)
            var mailing: [MailingListEntry] = []
            for try await entry in client.contacts.mailingList(keyword: "newsletter") { mailing.append(entry) }
            #expect(mailing.isEmpty)
            for call in [
                { _ = try await client.contacts.update(id: contact.id, ContactFields(firstName: "Back")) },
                { _ = try await client.contacts.activate(id: contact.id) },
                { _ = try await client.contacts.tag(id: contact.id, keywords: ["newsletter"]) },
            ] as [@Sendable () async throws -> Void] {
                let error = await #expect(throws: RPCError.self) { try await call() }
                #expect(error?.code == .failedPrecondition)
            }
        }
    }

    @Test func keywordsAndRolesGroupContactsAcrossCustomersIntoAMailingList() async throws {
        try await withServer { _, client in
            _ = try await client.labels.create(.keyword, name: "xmas card")
            _ = try await client.labels.create(.role, name: "billing")
            let acme = try await client.customers.create(CustomerFields(name: "Acme Oy", email: "info@acme.fi"))
            let beta = try await client.customers.create(CustomerFields(name: "Beta AS"))
            let aino = try await client.contacts.create(customerID: acme.id, Self.aino, keywords: ["xmas card"], roles: ["billing"])
            let ola = try await client.contacts.create(customerID: beta.id, ContactFields(firstName: "Ola", email: "ola@beta.no"), keywords: ["xmas card"])
            let quiet = try await client.contacts.create(customerID: beta.id, ContactFields(firstName: "Kari"), keywords: ["xmas card"])
            _ = try await client.contacts.deactivate(id: quiet.id)

            func mailing(_ keyword: String?, _ role: String?) async throws -> [MailingListEntry] {
                var entries: [MailingListEntry] = []
                for try await entry in client.contacts.mailingList(keyword: keyword, role: role) { entries.append(entry) }
                return entries
            }
            let keyword = try await mailing("xmas card", nil)
            #expect(keyword.map(\.contactId) == [aino.id, ola.id])
            #expect(keyword.first?.customerName == "Acme Oy")
            #expect(keyword.first?.customerEmail == "info@acme.fi")
            #expect(try await mailing(nil, "billing").map(\.contactId) == [aino.id])
            #expect(try await mailing("xmas card", "billing").map(\.contactId) == [aino.id])
            _ = try await client.contacts.untag(id: aino.id, keywords: ["xmas card"])
            #expect(try await mailing("xmas card", nil).map(\.contactId) == [ola.id])

            let unknown = await #expect(throws: RPCError.self) { _ = try await mailing("no such keyword", nil) }
            #expect(unknown?.code == .invalidArgument)
        }
    }

    @Test func deletingAKeywordInUseNeedsForceAndUnassignsIt() async throws {
        try await withServer { _, client in
            _ = try await client.labels.create(.keyword, name: "vip")
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let contact = try await client.contacts.create(customerID: customer.id, Self.aino, keywords: ["vip"])
            let refused = await #expect(throws: RPCError.self) { try await client.labels.delete(.keyword, name: "vip") }
            #expect(refused?.code == .failedPrecondition)
            #expect(try await client.labels.list(.keyword).map(\.contactCount) == [1])
            let renamed = try await client.labels.rename(.keyword, name: "vip", to: "VIP customers")
            #expect(renamed.name == "VIP customers")
            #expect(try await client.contacts.get(id: contact.id).keywords == ["VIP customers"])
            #expect(try await client.labels.delete(.keyword, name: "VIP customers", force: true) == 1)
            #expect(try await client.contacts.get(id: contact.id).keywords.isEmpty)
            #expect(try await client.labels.list(.keyword).isEmpty)
        }
    }

    @Test func theMailingListStreamsTenThousandContacts() async throws {
        // Seed straight into the database file before the server starts (fast), then stream
        // through the server: the stream has to carry every one, in order, in constant memory.
        let directory = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let databasePath = directory.appendingPathComponent("customers.sqlite").path
        let expected = try await onThread {
            try StoreSeeder.seedMailingList(databasePath: databasePath, customers: 100, contactsEach: 100, keyword: "newsletter")
        }

        let streamed = try await withTestServer(start: { try TestServer(directory: directory) }, stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            var streamed: [Int64] = []
            for try await entry in client.contacts.mailingList(keyword: "newsletter") {
                streamed.append(entry.contactId)
            }
            return streamed
        }
        #expect(streamed == expected)
    }
}

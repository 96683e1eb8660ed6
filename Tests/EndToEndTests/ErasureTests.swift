import CustomerClient
import Foundation
import TestSupport
import Testing

/// Issue 16 §3: after an erasure the person's data is in none of the database's files: not in
/// freed space of a page, not in an older frame of the write-ahead log, not in the history, not
/// in a remembered answer of a keyed write. Each test first checks that the values are in the
/// files, so a check that cannot see them cannot pass.
@Suite struct ErasureTests {
    /// Values no other test and no schema text contains.
    static let person = ContactFields(
        firstName: "Quillonetta", lastName: "Brackwaterhusk", title: "Erasurechief",
        email: "quillonetta.erase@zyxw.example", phone: "+358 9 777 1357", mobile: "+358 40 246 8642",
        notes: "Remembers the Xylophonic meeting")
    static let personValues = ["Quillonetta", "Brackwaterhusk", "Erasurechief", "quillonetta.erase@zyxw.example",
                               "+358 9 777 1357", "+358 40 246 8642", "Xylophonic"]
    /// An email the person had before (an update left it in freed space and in the history).
    static let earlierEmail = "q.brackwater@oldmail.example"

    @Test func anErasedContactIsInNoneOfTheDatabaseFiles() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            var keyed = CallOptions()
            keyed.idempotencyKey = "create-quillonetta"
            var first = Self.person
            first.email = Self.earlierEmail
            let contact = try await client.contacts.create(customerID: customer.id, first, options: keyed)
            _ = try await client.contacts.update(id: contact.id, ContactFields(email: Self.person.email))
            _ = try await client.contacts.update(id: contact.id, Self.person)
            let before = try await onThread { try DatabaseFiles(server.databasePath) }
            for value in Self.personValues + [Self.earlierEmail] {
                #expect(before.contains(value), "control: \(value) is in the files before the erasure")
            }

            _ = try await client.contacts.delete(id: contact.id, confirm: true)

            let files = try await onThread { try DatabaseFiles(server.databasePath) }
            for value in Self.personValues + [Self.earlierEmail] {
                #expect(!files.contains(value), "\(value) is still in \(files.holding(value))")
            }
            // The history says that an erasure happened, and by whom, without the values.
            let history = try await client.history.list(.contact, id: contact.id)
            #expect(history.last?.action == "deleted")
            #expect(history.map(\.action).contains("updated"))
        }
    }

    /// The answer of a keyed write that carried an erased person's data is dropped, but its key
    /// stays claimed: the same create retried under it is refused and creates no one again (the
    /// answer's row used to be deleted, so the retry created the contact a second time), and a
    /// keyed write whose answer merely shares a value with the person (the customer's name in its
    /// own answer, not erased) is unaffected.
    @Test func aKeyedWriteWhoseAnswerWasForgottenIsNotRunAgain() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            var keyed = CallOptions()
            keyed.idempotencyKey = "create-quillonetta-once"
            let contact = try await client.contacts.create(customerID: customer.id, Self.person, options: keyed)
            var other = CallOptions()
            other.idempotencyKey = "create-colleague"
            let colleague = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Ada", lastName: "Lindqvist"),
                                                             options: other)
            _ = try await client.contacts.delete(id: contact.id, confirm: true)

            let retry = await #expect(throws: RPCError.self) {
                try await client.contacts.create(customerID: customer.id, Self.person, options: keyed)
            }
            #expect(retry?.code == .failedPrecondition)
            #expect(retry?.details.map(\.field) == ["idempotency-key"])
            #expect(retry?.message.contains("erased") == true)
            #expect(try await client.contacts.list(customerID: customer.id, includeDeactivated: true).map(\.id) == [colleague.id])
            // The colleague's answer carried nothing of the erased person: still replayed as it was.
            let replayed = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Ada", lastName: "Lindqvist"),
                                                            options: other)
            #expect(replayed == colleague)
        }
    }
}

/// The raw bytes of a database's files: the database, its write-ahead log, its shared-memory
/// index and a rollback journal, whichever exist.
struct DatabaseFiles {
    let contents: [(path: String, bytes: Data)]

    init(_ databasePath: String) throws {
        contents = try ["", "-wal", "-shm", "-journal"].compactMap { suffix in
            let path = databasePath + suffix
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            return (path, try Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }

    /// Whether `text` (as UTF-8, the database's encoding) is anywhere in any of the files.
    func contains(_ text: String) -> Bool {
        !holding(text).isEmpty
    }

    /// The files that hold `text`.
    func holding(_ text: String) -> [String] {
        let needle = Data(text.utf8)
        return contents.filter { $0.bytes.range(of: needle) != nil }.map(\.path)
    }
}

/// Issue 16 §3: a customer has the two paths a contact has: deactivate (kept) or erase.
@Suite struct CustomerErasureTests {
    static let fields = CustomerFields(
        name: "Vexlantrium Oy", description: "Run by Ulrikka Thornquist", email: "ulrikka@vexlantrium.example",
        website: "vexlantrium.example", phone: "+358 9 555 0199")
    static let street = "Quorblekatu 17 B"
    /// What the erasure must remove from the files: every value above but the website's host,
    /// which the email shares.
    static let personal = ["Vexlantrium Oy", "Ulrikka Thornquist", "ulrikka@vexlantrium.example", "+358 9 555 0199",
                           street, "Zelmira", "Oxtoby", "zelmira@oxtoby.example", "billing@vexlantrium.example"]

    /// A customer with an address, a contact, invoicing settings and a note (so it stays as a tombstone).
    static func seed(_ client: CustomerClient) async throws -> (customer: Customer, contact: Contact, note: Activity) {
        let customer = try await client.customers.create(fields)
        _ = try await client.addresses.add(customerID: customer.id, AddressFields(street1: street, city: "Espoo", country: "FI"))
        let contact = try await client.contacts.create(
            customerID: customer.id, ContactFields(firstName: "Zelmira", lastName: "Oxtoby", email: "zelmira@oxtoby.example"))
        _ = try await client.settings.update(
            customerID: customer.id, CustomerSettingsFields(invoiceChannel: .email, invoiceEmail: "billing@vexlantrium.example"))
        _ = try await client.customers.update(id: customer.id, CustomerFields(phone: "+358 9 555 0100"))
        _ = try await client.customers.update(id: customer.id, CustomerFields(phone: fields.phone))
        let note = try await client.activities.note(customerID: customer.id, "Quarterly review held")
        return (customer, contact, note)
    }

    @Test func deletingACustomerNeedsConfirmationAndChangesNothingWithout() async throws {
        try await withServer { _, client in
            let (customer, _, _) = try await Self.seed(client)
            let before = try await client.customers.get(id: customer.id)
            let error = await #expect(throws: RPCError.self) { try await client.customers.delete(id: customer.id, confirm: false) }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.details.map(\.field) == ["confirm"])
            #expect(try await client.customers.get(id: customer.id) == before)
        }
    }

    @Test func deletingACustomerNeedsTheDeleteRight() async throws {
        try await withPermissionServer(profile: BuiltIn.sales.rawValue) { fixture in
            let before = try fixture.snapshot()
            let error = await outcome { try await fixture.client.customers.delete(id: fixture.seed.ownCustomer, confirm: true) }
            #expect(error?.code == .permissionDenied)
            #expect(error?.message.contains("Delete customers") == true, "\(String(describing: error))")
            #expect(try fixture.snapshot().changedTables(comparedTo: before) == [])
        }
    }

    @Test func anErasedCustomerWithHistoryStaysAsATombstoneThatReferencesShowAsDeleted() async throws {
        try await withServer { _, client in
            let (customer, contact, note) = try await Self.seed(client)
            try await client.customers.delete(id: customer.id, confirm: true)

            let tombstone = try await client.customers.get(id: customer.id)
            #expect(tombstone.isDeleted)
            #expect(tombstone.number == customer.number)
            #expect(tombstone.name.isEmpty)
            for personal in [tombstone.email, tombstone.phone, tombstone.description, tombstone.website, tombstone.vatNumber] {
                #expect(personal == nil)
            }
            #expect(tombstone.headOffice == nil)
            #expect(try await client.contacts.get(id: contact.id).deleted)
            // Not listed, not found by search, and nothing changes it or adds to it any more.
            #expect(try await client.customers.list(CustomerQuery(status: .all)).customers.map(\.id).contains(customer.id) == false)
            #expect(try await client.customers.list(CustomerQuery(status: .all, search: "Vexlantrium")).customers.isEmpty)
            for call in [
                { _ = try await client.customers.update(id: customer.id, CustomerFields(name: "Back again")) },
                { _ = try await client.customers.activate(id: customer.id) },
                { _ = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "New")) },
                { _ = try await client.activities.note(customerID: customer.id, "Still here?") },
            ] as [@Sendable () async throws -> Void] {
                let error = await #expect(throws: RPCError.self) { try await call() }
                #expect(error?.code == .failedPrecondition)
                #expect(error?.message.contains("is deleted") == true)
            }
            // The history says that it was erased, and keeps no value.
            let history = try await client.history.list(.customer, id: customer.id)
            #expect(history.last?.action == "deleted")
            #expect(history.flatMap(\.changes).allSatisfy { $0.oldValue == nil && $0.newValue == nil })
            // Its note is still there, for the history of whoever wrote it.
            #expect(try await client.history.list(.activity, id: note.id).first?.action == "created")
            // Deleting it again changes nothing.
            try await client.customers.delete(id: customer.id, confirm: true)
            #expect(try await client.customers.get(id: customer.id) == tombstone)
        }
    }

    @Test func anIssuedInvoiceKeepsItsSnapshotAfterTheCustomerIsErased() async throws {
        try await withServer { _, client in
            let (customer, contact, _) = try await Self.seed(client)
            let invoice = try await client.invoices.issue(
                IssueInvoiceRequest(customerId: customer.id, contactId: contact.id, total: 100, currency: "EUR"))
            try await client.customers.delete(id: customer.id, confirm: true)
            let later = try await client.invoices.get(id: invoice.id)
            #expect(later == invoice)
            #expect(later.customerName == "Vexlantrium Oy")
            #expect(try await client.customers.get(id: customer.id).isDeleted)
        }
    }

    @Test func anErasedCustomerIsInNoneOfTheDatabaseFiles() async throws {
        try await withServer { server, client in
            let (customer, _, _) = try await Self.seed(client)
            let before = try await onThread { try DatabaseFiles(server.databasePath) }
            for value in Self.personal + ["+358 9 555 0100"] {
                #expect(before.contains(value), "control: \(value) is in the files before the erasure")
            }
            try await client.customers.delete(id: customer.id, confirm: true)
            let after = try await onThread { try DatabaseFiles(server.databasePath) }
            for value in Self.personal + ["+358 9 555 0100"] {
                #expect(!after.contains(value), "\(value) is still in \(after.holding(value))")
            }
        }
    }

    @Test func aCustomerWithNothingOnItIsRemovedWhole() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Brief Oy"))
            _ = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Only"))
            try await client.customers.delete(id: customer.id, confirm: true)
            let error = await #expect(throws: RPCError.self) { try await client.customers.get(id: customer.id) }
            #expect(error?.code == .notFound)
        }
    }

    @Test func customersDeleteFromTheShellErasesAndSaysSo() async throws {
        try await withServer { server, client in
            let (customer, _, _) = try await Self.seed(client)
            let id = String(customer.id)
            let refused = try await runProduct("customerctl", ["--socket", server.socketPath, "customers", "delete", id])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("confirm"))
            let done = try await runProduct("customerctl", ["--socket", server.socketPath, "customers", "delete", id, "--confirm"])
            #expect(done.status == 0, "\(done.stderr)")
            #expect(done.stdout == "Customer \(id) deleted.\n")
            let shown = try await runProduct("customerctl", ["--socket", server.socketPath, "customers", "get", id])
            #expect(shown.stdout.hasPrefix("Customer deleted"), "\(shown.stdout)")
        }
    }
}

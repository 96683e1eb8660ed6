import CustomerClient
import Foundation
import Testing

/// Everything about one customer or person in one document, checked as a read of that customer:
/// what an administrator gets, what a profile without Financial figures gets, and who is refused.
@Suite struct DossierTests {
    @Test func theCustomerDossierHoldsEveryRecordWithItsHistory() async throws {
        try await withPermissionServer(profile: BuiltIn.administrator.rawValue) { fixture in
            let seed = fixture.seed
            _ = try await fixture.client.contacts.deactivate(id: seed.deletableContact)
            let dossier = try await fixture.client.customers.dossier(id: seed.otherCustomer)
            #expect(dossier.card.customer.id == seed.otherCustomer)
            #expect(Set(dossier.card.contactInformation?.addresses.map(\.id) ?? [])
                    == [seed.headOffice, seed.secondAddress, seed.thirdAddress])
            // Every contact, the deactivated one too (the card shows only active ones).
            #expect(Set(dossier.contacts.map(\.id)) == [seed.contact, seed.deletableContact])
            #expect(dossier.card.contactInformation?.activities.planned.map(\.id).contains(seed.task) == true)
            let projects = dossier.card.salesAndProjects?.projects ?? []
            #expect(Set(projects.map(\.id)) == [seed.salesCase, seed.salesCaseToLose, seed.project])
            #expect(dossier.card.files?.files.map(\.id) == [seed.file])
            #expect(dossier.card.files?.links.map(\.id) == [seed.link])
            #expect(dossier.card.financial != nil)
            #expect(dossier.card.financialHidden == nil)
            let invoice = try #require(dossier.invoices.first)
            #expect(dossier.invoices.map(\.id) == [seed.invoice])
            #expect(invoice.total == 10)
            #expect(!invoice.customerName.isEmpty)   // what the invoice said when issued
            let entities = Set(dossier.history.map(\.entity))
            #expect(entities.isSuperset(of: [.customer, .address, .contact, .project, .invoice]), "\(entities)")
            #expect(dossier.history.contains { $0.entity == .contact && $0.entityId == seed.deletableContact })
            #expect(dossier.history.map(\.at) == dossier.history.map(\.at).sorted())
        }
    }

    @Test func withoutFinancialFiguresMoneyAndItsHistoryStayHidden() async throws {
        try await withPermissionServer(profile: BuiltIn.readOnly.rawValue) { fixture in
            let dossier = try await fixture.client.customers.dossier(id: fixture.seed.otherCustomer)
            #expect(dossier.card.financial == nil)
            #expect(dossier.card.financialHidden == true)
            #expect(!dossier.invoices.isEmpty)
            #expect(dossier.invoices.allSatisfy { $0.total == nil && $0.moneyHidden == true })
            let projects = dossier.card.salesAndProjects?.projects ?? []
            #expect(!projects.isEmpty)
            #expect(projects.allSatisfy { $0.expectedValue == nil && $0.moneyHidden == true })
            #expect(!dossier.history.contains { $0.entity == .project || $0.entity == .invoice })
            #expect(dossier.history.contains { $0.entity == .customer })
        }
    }

    @Test func theContactDossierHoldsThePersonTheirActivitiesInvoicesAndHistory() async throws {
        try await withPermissionServer(profile: BuiltIn.administrator.rawValue) { fixture in
            let seed = fixture.seed
            let client = fixture.client
            let note = try await client.activities.note(customerID: seed.otherCustomer, "Met at the fair", contactID: seed.contact)
            _ = try await client.activities.note(customerID: seed.otherCustomer, "Someone else", contactID: seed.deletableContact)
            let invoice = try await client.invoices.issue(
                IssueInvoiceRequest(customerId: seed.otherCustomer, contactId: seed.contact, total: 25, currency: "EUR"))
            let dossier = try await client.contacts.dossier(id: seed.contact)
            #expect(dossier.contact.id == seed.contact)
            #expect(dossier.customer.id == seed.otherCustomer)
            #expect(dossier.activities.map(\.id) == [note.id])
            #expect(dossier.invoices.map(\.id) == [invoice.id])
            #expect(dossier.invoices.first?.total == 25)
            #expect(!dossier.history.isEmpty)
            #expect(dossier.history.allSatisfy { $0.entity == .contact && $0.entityId == seed.contact })
        }
    }

    @Test func someoneWhoMayNotReadTheCustomerIsRefusedBoth() async throws {
        try await withPermissionServer(profile: BuiltIn.consultant.rawValue) { fixture in
            let customer = await outcome { _ = try await fixture.client.customers.dossier(id: fixture.seed.otherCustomer) }
            #expect(customer?.code == .permissionDenied)
            let contact = await outcome { _ = try await fixture.client.contacts.dossier(id: fixture.seed.contact) }
            #expect(contact?.code == .permissionDenied)
            let own = try await fixture.client.customers.dossier(id: fixture.seed.ownCustomer)
            #expect(own.card.customer.id == fixture.seed.ownCustomer)
        }
    }

    @Test func customerctlPrintsEachDossierAsOneJSONDocument() async throws {
        try await withPermissionServer(profile: BuiltIn.administrator.rawValue) { fixture in
            let socket = fixture.server.socketPath
            let customer = try await runProduct("customerctl", ["--socket", socket, "customers", "dossier", String(fixture.seed.otherCustomer)])
            #expect(customer.status == 0, "\(customer.stderr)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(customer.stdout.utf8)) as? [String: Any])
            #expect(Set(document.keys) == ["card", "contacts", "invoices", "history", "generatedAt"])
            let contact = try await runProduct("customerctl", ["--socket", socket, "contacts", "dossier", String(fixture.seed.contact)])
            #expect(contact.status == 0, "\(contact.stderr)")
            let person = try #require(try JSONSerialization.jsonObject(with: Data(contact.stdout.utf8)) as? [String: Any])
            #expect(Set(person.keys) == ["contact", "customer", "activities", "invoices", "history", "generatedAt"])
            let missing = try await runProduct("customerctl", ["--socket", socket, "customers", "dossier", "999999"])
            #expect(missing.status == 15, "\(missing.stderr)")
        }
    }
}

import CustomerClient
import Foundation
import TestSupport
import Testing

/// Issue 5 through a real server: sales cases and projects, collaboration, forecasts, invoices.
@Suite struct SalesAndFinancialTests {
    @Test func aWonSalesCaseBecomesAProjectKeepingItsIdAndHistory() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let sale = try await client.projects.createSalesCase(
                customerID: customer.id,
                ProjectFields(name: "ERP rollout", stage: "offer", probability: 60, expectedValue: Decimal(string: "125000.50"), expectedCurrency: "EUR", expectedClose: "2026-12-31"))
            #expect(sale.kind == .salesCase)
            #expect(sale.outcome == .open)
            #expect(sale.expectedValue == Decimal(string: "125000.50"))
            let task = try await client.projects.addTask(projectID: sale.id, "Prepare demo")
            let won = try await client.projects.win(salesCaseID: sale.id, ProjectFields(startsOn: "2027-01-01"))
            #expect(won.id == sale.id)
            #expect(won.kind == .project)
            #expect(won.outcome == .won)
            #expect(won.status == .open)
            #expect(won.number != nil)
            #expect(won.currency == "EUR")
            #expect(try await client.projects.collaboration(customerID: customer.id).compactMap(\.task?.id) == [task.id])
            let history = try await client.history.list(.project, id: sale.id)
            #expect(history.map(\.action) == ["created", "won"])

            let again = await #expect(throws: RPCError.self) { try await client.projects.win(salesCaseID: sale.id) }
            #expect(again?.code == .failedPrecondition)

            let lost = try await client.projects.createSalesCase(customerID: customer.id, ProjectFields(name: "Support deal"))
            let noReason = await #expect(throws: RPCError.self) { try await client.projects.lose(salesCaseID: lost.id, reason: "") }
            #expect(noReason?.code == .invalidArgument)
            let closed = try await client.projects.lose(salesCaseID: lost.id, reason: "Went with a competitor")
            #expect(closed.outcome == .lost)
            #expect(closed.lostReason == "Went with a competitor")

            #expect(try await client.projects.list(customerID: customer.id, filter: .salesCases).map(\.id) == [lost.id])
            #expect(try await client.projects.list(customerID: customer.id, filter: .projects).map(\.id) == [won.id])
            #expect(try await client.projects.list(customerID: customer.id, filter: .open).map(\.id) == [won.id])
            #expect(try await client.projects.list(customerID: customer.id, filter: .closed).map(\.id) == [lost.id])
        }
    }

    @Test func aCustomerWithProjectsIsErasedAndItsProjectsStay() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let project = try await client.projects.createProject(customerID: customer.id, ProjectFields(name: "Website"))
            try await client.customers.delete(id: customer.id, confirm: true)
            #expect(try await client.customers.get(id: customer.id).isDeleted)
            #expect(try await client.projects.get(id: project.id).customerId == customer.id)
        }
    }

    @Test func theCollaborationTabListsEveryProjectsTasksAndNotesNewestFirst() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let web = try await client.projects.createProject(customerID: customer.id, ProjectFields(name: "Website"))
            let erp = try await client.projects.createProject(customerID: customer.id, ProjectFields(name: "ERP"))
            let first = try await client.projects.addTask(projectID: web.id, "Wireframes", dueOn: "2026-12-10")
            // Items of one millisecond are listed tasks before notes (ProjectTaskRow.byCustomer): the
            // note must come a millisecond later to be the newer (on a quiet machine the two calls
            // can fall in one, and the note was listed after the older task).
            try await waitUntil("a millisecond past the first task's") { Date() >= first.createdAt.addingTimeInterval(0.001) }
            let note = try await client.projects.addNote(projectID: erp.id, "Kick-off went well")
            let last = try await client.projects.addTask(projectID: erp.id, "Data migration")
            let items = try await client.projects.collaboration(customerID: customer.id)
            #expect(items.map { $0.task?.id ?? $0.note?.id } == [last.id, note.id, first.id])
            #expect(items.map { $0.task?.projectName ?? $0.note?.projectName } == ["ERP", "ERP", "Website"])

            // Project tasks join the customer's activity list, planned and done.
            _ = try await client.projects.setTaskStatus(id: first.id, .done)
            let activities = try await client.activities.list(customerID: customer.id)
            #expect(activities.planned.filter { $0.kind == .projectTask }.map(\.subject) == ["Data migration"])
            #expect(activities.done.filter { $0.kind == .projectTask }.map(\.projectName) == ["Website"])
        }
    }

    @Test func theFinancialTabAddsUpExactlyPerCurrencyWithMargins() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let eur = try await client.projects.createProject(customerID: customer.id, ProjectFields(name: "A", currency: "EUR"))
            let eur2 = try await client.projects.createProject(customerID: customer.id, ProjectFields(name: "B", currency: "EUR"))
            let nok = try await client.projects.createProject(customerID: customer.id, ProjectFields(name: "C", currency: "NOK"))
            func money(_ text: String) -> Decimal { Decimal(string: text) ?? 0 }
            _ = try await client.projects.setForecast(SetForecastRequest(projectId: eur.id, month: "2027-01", revenue: money("0.1"), cost: money("0.05"), billing: money("0.1"), hours: 1))
            _ = try await client.projects.setForecast(SetForecastRequest(projectId: eur2.id, month: "2027-01", revenue: money("0.2"), cost: money("0.1"), billing: 0, hours: 2))
            _ = try await client.projects.setForecast(SetForecastRequest(projectId: eur.id, month: "2027-02", revenue: 0, cost: money("10"), billing: 0, hours: 0))
            _ = try await client.projects.setForecast(SetForecastRequest(projectId: nok.id, month: "2027-01", revenue: money("1000"), cost: money("250"), billing: money("500"), hours: 8))

            let tab = try await client.projects.financialSummary(customerID: customer.id)
            #expect(tab.currencies.map(\.currency) == ["EUR", "NOK"])
            let euro = try #require(tab.currencies.first)
            #expect(euro.months.map(\.month) == ["2027-01", "2027-02"])
            #expect(euro.months[0].revenue == money("0.3"))          // 0.1 + 0.2, exactly
            #expect(euro.months[0].margin == money("0.15"))
            #expect(euro.months[0].marginPercent == money("50"))
            #expect(euro.months[1].marginPercent == nil)             // no revenue: no margin %
            #expect(euro.total.revenue == money("0.3"))
            #expect(euro.total.cost == money("10.15"))
            #expect(tab.currencies[1].total.margin == money("750"))  // NOK never added to EUR

            let january = try await client.projects.financialSummary(customerID: customer.id, from: "2027-01", to: "2027-01")
            #expect(january.currencies.first?.months.count == 1)
            let onSalesCase = try await client.projects.createSalesCase(customerID: customer.id, ProjectFields(name: "D"))
            let refused = await #expect(throws: RPCError.self) {
                try await client.projects.setForecast(SetForecastRequest(projectId: onSalesCase.id, month: "2027-01", revenue: 1, cost: 0, billing: 0, hours: 0))
            }
            #expect(refused?.code == .failedPrecondition)
        }
    }

    @Test func anIssuedInvoiceIsUnchangedAfterTheContactIsDeletedAndTheAddressEdited() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let office = try await client.addresses.add(customerID: customer.id, AddressFields(street1: "Keilalahdentie 4", city: "Espoo", country: "FI"))
            let contact = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Aino", lastName: "Virtanen"))
            _ = try await client.settings.update(customerID: customer.id, CustomerSettingsFields(invoiceChannel: .email, invoiceEmail: "ap@acme.fi", paymentTermDays: 30, currency: "EUR"))
            let invoice = try await client.invoices.issue(
                IssueInvoiceRequest(customerId: customer.id, contactId: contact.id, total: Decimal(string: "1240.00") ?? 0, description: "November"))
            #expect(invoice.contactName == "Aino Virtanen")
            #expect(invoice.headOffice?.contains("Espoo") == true)
            #expect(invoice.settings?.paymentTermDays == 30)
            #expect(invoice.currency == "EUR")

            try await client.contacts.delete(id: contact.id, confirm: true)
            _ = try await client.addresses.update(id: office.id, AddressFields(city: "Helsinki"))
            _ = try await client.customers.update(id: customer.id, CustomerFields(name: "Acme Oyj"))
            _ = try await client.settings.update(customerID: customer.id, CustomerSettingsFields(paymentTermDays: 14))

            let later = try await client.invoices.get(id: invoice.id)
            #expect(later == invoice)
            #expect(try await client.invoices.list(customerID: customer.id) == [invoice])
            try await client.customers.delete(id: customer.id, confirm: true)
            #expect(try await client.invoices.get(id: invoice.id) == invoice)
        }
    }
}

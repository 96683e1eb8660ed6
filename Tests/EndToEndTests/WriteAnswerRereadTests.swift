import CustomerClient
import Foundation
import Testing

/// A write's answer is what the card and the record's own read show next: every field, the
/// version and the created/updated at and by included. A caller that keeps the answer (to show it,
/// or to send its version back as `expectedVersion`) then never holds a record that was not stored.
@Suite struct WriteAnswerRereadTests {
    /// Each kind of write, in turn on one customer, its answer compared with the record read again
    /// by its own get or list and on the card (all tabs, one snapshot).
    @Test func everyWritesAnswerEqualsTheNextReadAndTheCard() async throws {
        try await withServer { _, client in
            var customer = try await client.customers.create(CustomerFields(name: "Kaiku Oy", country: "FI"))
            func card() async throws -> CustomerCard { try await client.cards.get(customerID: customer.id) }
            func expectCustomer(_ answer: Customer, _ what: String) async throws {
                #expect(try await client.customers.get(id: answer.id) == answer, "\(what): get")
                #expect(try await card().customer == answer, "\(what): card")
            }
            try await expectCustomer(customer, "create")
            customer = try await client.customers.update(id: customer.id, CustomerFields(description: "Echo", email: "hei@kaiku.fi"))
            try await expectCustomer(customer, "update")
            customer = try await client.customers.deactivate(id: customer.id)
            try await expectCustomer(customer, "deactivate")
            customer = try await client.customers.activate(id: customer.id)
            try await expectCustomer(customer, "activate")

            func expectAddress(_ answer: Address, _ what: String) async throws {
                #expect(try await client.addresses.list(customerID: customer.id).first { $0.id == answer.id } == answer, "\(what): list")
                #expect(try await card().contactInformation?.addresses.first { $0.id == answer.id } == answer, "\(what): card")
            }
            let office = try await client.addresses.add(customerID: customer.id, AddressFields(city: "Oulu", country: "FI"))
            try await expectAddress(office, "add address")
            var branch = try await client.addresses.add(customerID: customer.id, AddressFields(city: "Kemi", country: "FI"))
            try await expectAddress(branch, "add second address")
            branch = try await client.addresses.update(id: branch.id, AddressFields(postalCode: "94100"))
            try await expectAddress(branch, "update address")
            let moved = try await client.addresses.setHeadOffice(id: branch.id)
            #expect(try await client.addresses.list(customerID: customer.id) == moved, "set head office: list")
            #expect(try await card().contactInformation?.addresses == moved, "set head office: card")
            try await expectCustomer(try await client.customers.get(id: customer.id), "set head office")

            func expectContact(_ answer: Contact, _ what: String, onCard: Bool = true) async throws {
                #expect(try await client.contacts.get(id: answer.id) == answer, "\(what): get")
                let shown = try await card().contactInformation?.contacts.first { $0.id == answer.id }
                #expect(shown == (onCard ? answer : nil), "\(what): card")
            }
            _ = try await client.labels.create(.keyword, name: "Newsletter")
            _ = try await client.labels.create(.role, name: "Buyer")
            var contact = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Aino", lastName: "Kaiku"),
                                                           keywords: ["Newsletter"])
            try await expectContact(contact, "create contact")
            contact = try await client.contacts.update(id: contact.id, ContactFields(title: "CFO"))
            try await expectContact(contact, "update contact")
            contact = try await client.contacts.tag(id: contact.id, roles: ["Buyer"])
            try await expectContact(contact, "tag contact")
            contact = try await client.contacts.untag(id: contact.id, keywords: ["Newsletter"])
            try await expectContact(contact, "untag contact")
            contact = try await client.contacts.deactivate(id: contact.id)
            try await expectContact(contact, "deactivate contact", onCard: false)
            contact = try await client.contacts.activate(id: contact.id)
            try await expectContact(contact, "activate contact")

            func expectActivity(_ answer: Activity, _ what: String) async throws {
                let listed = try await client.activities.list(customerID: customer.id)
                #expect((listed.planned + listed.done).first { $0.id == answer.id } == answer, "\(what): list")
                let shown = try await card().contactInformation?.activities
                #expect(((shown?.planned ?? []) + (shown?.done ?? [])).first { $0.id == answer.id } == answer, "\(what): card")
            }
            try await expectActivity(try await client.activities.note(customerID: customer.id, "Called", contactID: contact.id), "note")
            var task = try await client.activities.task(customerID: customer.id, "Send the offer", due: Date(timeIntervalSince1970: 4_102_444_800))
            try await expectActivity(task, "task")
            task = try await client.activities.update(UpdateActivityRequest(id: task.id, subject: "Send the final offer"))
            try await expectActivity(task, "update task")
            task = try await client.activities.complete(taskID: task.id)
            try await expectActivity(task, "complete task")
            task = try await client.activities.reopen(taskID: task.id)
            try await expectActivity(task, "reopen task")
            try await expectActivity(try await client.activities.event(
                customerID: customer.id, "Workshop", from: Date(timeIntervalSince1970: 4_102_444_800),
                to: Date(timeIntervalSince1970: 4_102_448_400)), "event")

            func expectProject(_ answer: Project, _ what: String) async throws {
                #expect(try await client.projects.get(id: answer.id) == answer, "\(what): get")
                #expect(try await card().salesAndProjects?.projects.first { $0.id == answer.id } == answer, "\(what): card")
            }
            var sale = try await client.projects.createSalesCase(customerID: customer.id, ProjectFields(name: "Pilot"))
            try await expectProject(sale, "create sales case")
            sale = try await client.projects.update(id: sale.id, ProjectFields(stage: "Offer"))
            try await expectProject(sale, "update sales case")
            sale = try await client.projects.win(salesCaseID: sale.id)
            try await expectProject(sale, "win")
            let lost = try await client.projects.lose(
                salesCaseID: try await client.projects.createSalesCase(customerID: customer.id, ProjectFields(name: "Extra")).id,
                reason: "Budget")
            try await expectProject(lost, "lose")
            let project = try await client.projects.createProject(customerID: customer.id, ProjectFields(name: "Rollout", currency: "EUR"))
            try await expectProject(project, "create project")

            func expectCollaboration(_ answer: CollaborationItem, _ what: String) async throws {
                func same(_ item: CollaborationItem) -> Bool {
                    item.task.map { $0.id == answer.task?.id } ?? (item.note?.id == answer.note?.id)
                }
                #expect(try await client.projects.collaboration(customerID: customer.id).first(where: same) == answer, "\(what): list")
                #expect(try await card().collaboration?.items.first(where: same) == answer, "\(what): card")
            }
            var projectTask = try await client.projects.addTask(projectID: project.id, "Install")
            try await expectCollaboration(CollaborationItem(task: projectTask), "add project task")
            projectTask = try await client.projects.setTaskStatus(id: projectTask.id, .done)
            try await expectCollaboration(CollaborationItem(task: projectTask), "complete project task")
            try await expectCollaboration(CollaborationItem(note: try await client.projects.addNote(projectID: project.id, "Kick-off held")),
                                          "add collaboration note")
            let forecast = try await client.projects.setForecast(SetForecastRequest(
                projectId: project.id, month: "2027-01", revenue: 1000, cost: 400, billing: 900, hours: 12))
            #expect(try await client.projects.forecasts(projectID: project.id) == [forecast], "set forecast: list")

            func expectFiles(_ what: String, file: FileInfo? = nil, link: Link? = nil) async throws {
                let listed = try await client.files.list(customerID: customer.id)
                let shown = try await card().files
                if let file {
                    #expect(listed.files.first { $0.id == file.id } == file, "\(what): list")
                    #expect(shown?.files.first { $0.id == file.id } == file, "\(what): card")
                }
                if let link {
                    #expect(listed.links.first { $0.id == link.id } == link, "\(what): list")
                    #expect(shown?.links.first { $0.id == link.id } == link, "\(what): card")
                }
            }
            let file = try await client.files.upload(customerID: customer.id, name: "offer.txt", data: Data("offer".utf8))
            try await expectFiles("upload", file: file)
            try await expectFiles("rename file", file: try await client.files.rename(id: file.id, to: "final offer.txt"))
            let link = try await client.files.addLink(customerID: customer.id, url: "https://kaiku.fi/offer", title: "Offer")
            try await expectFiles("add link", link: link)
            try await expectFiles("rename link", link: try await client.files.renameLink(id: link.id, to: "Final offer"))

            let settings = try await client.settings.update(customerID: customer.id, CustomerSettingsFields(paymentTermDays: 14, currency: "EUR"))
            #expect(try await client.settings.get(customerID: customer.id) == settings, "update settings: get")
            #expect(try await card().settings?.settings == settings, "update settings: card")
            let segment = try await client.settings.createSegment("Energy")
            let segments = try await client.settings.setCustomerSegments(customerID: customer.id, [segment.id])
            #expect(try await card().settings?.segments == segments, "set segments: card")

            let invoice = try await client.invoices.issue(IssueInvoiceRequest(customerId: customer.id, contactId: contact.id, total: 250))
            #expect(try await client.invoices.get(id: invoice.id) == invoice, "issue invoice: get")
            #expect(try await client.invoices.list(customerID: customer.id) == [invoice], "issue invoice: list")

            let twin = try await client.customers.create(CustomerFields(name: "Kaiku Ab", phone: "+358 8 123 4567"))
            let merge = try await client.customers.merge(keep: customer.id, absorb: twin.id)
            try await expectCustomer(merge.kept, "merge")
        }
    }
}

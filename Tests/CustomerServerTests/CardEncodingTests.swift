import BinaryCoding
import CustomerAPI
@testable import CustomerServer
import CustomerStore
import Foundation
import TestSupport
import Testing

/// The card's answer as the handler writes it (`CardServiceHandler.encodedCard`, the contact tab
/// straight from the store's records) is byte for byte the card of `CardServiceHandler.card`
/// encoded by `BinaryEncoder.encode` and by its `Codable` conformance: every tab, tabs empty and
/// full, non-ASCII text, labels, every activity kind planned and done, a deleted contact named by
/// an activity, segments, a customer with and without its optional fields.
@Suite struct CardEncodingTests {
    @Test func theCardsBytesAreThoseOfTheEncodedCard() async throws {
        try await StoreOfTwoUsers.with("writing cards") { fixture in
            let (store, admin, manager, author) = (fixture.store, fixture.admin, fixture.manager, fixture.author)
            let bare = try store.createCustomer(NewCustomer(name: "Plain Oy"), by: author)
            let full = try store.createCustomer(NewCustomer(
                name: "Åkerlund & Rausing Ab", accountManagerID: manager.id, description: "Kärnkund sedan 1998 – 💼",
                vatNumber: "SE556036079301", country: "SE", email: "info@example.se",
                website: "example.se", phone: "+46 8 123 45"), by: author)
            _ = try store.addAddress(customerID: full.id, StoredAddressFields(
                street1: "Storgatan 1", postalCode: "111 22", city: "Göteborg", country: "SE", kind: .visiting), by: author)
            _ = try store.addAddress(customerID: full.id, StoredAddressFields(city: "Malmö", country: "SE", kind: .postal), by: author)
            _ = try store.createLabel(.keyword, name: "öl")
            _ = try store.createLabel(.role, name: "inköp")
            let contact = try store.createContact(customerID: full.id, StoredContactFields(
                firstName: "Åsa", lastName: "Ström", email: "asa@example.se"), keywords: ["öl"], roles: ["inköp"], by: author)
            _ = try store.createContact(customerID: full.id, StoredContactFields(lastName: "Berg"), keywords: [], roles: [],
                                        by: author)
            _ = try store.addNote(customerID: full.id, text: "Möte – bra", contactID: contact.id, by: author)
            _ = try store.addTask(customerID: full.id, subject: "Ring", dueAt: Date(timeIntervalSince1970: 2_000_000_000),
                                  assigneeID: manager.id, contactID: nil, by: author)
            let project = try store.createProject(customerID: full.id, StoredProjectFields(
                name: "Förstudie", number: 7, managerID: manager.id, currency: "SEK"), by: author)
            _ = try store.addNote(customerID: full.id, text: "Projektets anteckning", contactID: nil, projectID: project.id,
                                  by: author)
            _ = try store.addAddress(customerID: full.id, StoredAddressFields(
                street1: "c/o Öberg", street2: "Box 12", street3: "Plan 3", postalCode: "FI-00100", city: "Helsingfors",
                region: "Nyland", country: "FI", kind: .billing), by: author)
            let leaving = try store.createContact(customerID: full.id, StoredContactFields(
                firstName: "Jon", lastName: "Ek", title: "VD", phone: "+46 8 111 22", mobile: "+46 70 222 33", language: "sv-SE",
                notes: "Slutar – vår"), keywords: [], roles: ["inköp"], by: author)
            _ = try store.addEvent(customerID: full.id, subject: "Mässa", startsAt: Date(timeIntervalSince1970: 1_000_000_000),
                                   endsAt: Date(timeIntervalSince1970: 1_000_003_600), timeZone: "Europe/Stockholm",
                                   contactID: leaving.id, by: author)
            _ = try store.addEvent(customerID: full.id, subject: "Kickoff", startsAt: Date(timeIntervalSince1970: 3_000_000_000),
                                   endsAt: Date(timeIntervalSince1970: 3_000_003_600), contactID: contact.id,
                                   projectID: project.id, by: author)
            let done = try store.addTask(customerID: full.id, subject: "Offert", dueAt: nil, assigneeID: nil,
                                         contactID: leaving.id, by: author)
            _ = try store.completeTask(id: done.id, by: author)
            _ = try store.deleteContact(id: leaving.id, by: author)
            _ = try store.addProjectTask(projectID: project.id, name: "Workshop", assigneeID: manager.id,
                                         dueOn: "2031-05-01", by: author)
            let market = try store.createSegment(name: "Norden", parentID: nil)
            let region = try store.createSegment(name: "Sverige – syd", parentID: market.id)
            _ = try store.setCustomerSegments(customerID: full.id, segmentIDs: [region.id, market.id], by: author)
            let caller = Caller(user: admin, service: nil)
            var plainCodable = BinaryEncoder()
            plainCodable.writesDirectly = false
            for customer in [bare, full] {
                for tabs in [[], [CardTab.contactInformation], [.salesAndProjects, .files], [.financial, .settings, .collaboration]] {
                    let card = try CardServiceHandler.card(of: customer.id, tabs: tabs, from: nil, to: nil, for: caller,
                                                           store: store)
                    let written = try CardServiceHandler.encodedCard(of: customer.id, tabs: tabs, from: nil, to: nil,
                                                                     for: caller, store: store).bytes
                    #expect(written == (try BinaryEncoder().encode(card)), "customer \(customer.name), tabs \(tabs)")
                    #expect(written == (try plainCodable.encode(card)), "customer \(customer.name), tabs \(tabs)")
                    #expect(try BinaryDecoder().decode(CustomerCard.self, from: written) == card)
                    if customer.id == full.id, tabs.isEmpty {
                        // The shapes above are all on the card (a change to the fixture cannot drop one unseen).
                        let information = try #require(card.contactInformation)
                        #expect(information.addresses.count == 3 && information.segments.count == 2)
                        #expect(information.contacts.map(\.keywords.count) == [0, 1])
                        let activities = information.activities.planned + information.activities.done
                        #expect(Set(activities.map(\.kind)) == [.note, .task, .event, .projectTask])
                        #expect(!information.activities.done.isEmpty && !information.activities.planned.isEmpty)
                        #expect(activities.contains { $0.contact?.deleted == true })
                    }
                }
            }
        }
    }

    /// The card written for a caller without the financial-figures right (Read only; Consultant,
    /// whose scope is its own customers) is the card built for that caller, encoded: the customer
    /// written from its row as for an administrator, the financial tab absent and marked hidden,
    /// the projects' money stripped; for a customer with and without a head office.
    @Test func aCallerWithoutFinancialFiguresGetsTheBytesOfTheCardBuiltForIt() async throws {
        try await StoreOfTwoUsers.with("writing cards for every profile") { fixture in
            let (store, admin, author) = (fixture.store, fixture.admin, fixture.author)
            let consultant = try store.addUser(uid: 1002, name: "konsult", profileName: "Consultant")
            let readOnly = try store.addUser(uid: 1003, name: "läsare", profileName: "Read only")
            let withoutOffice = try store.createCustomer(NewCustomer(name: "Kontorslös Ab", accountManagerID: consultant.id),
                                                         by: author)
            let withOffice = try store.createCustomer(NewCustomer(
                name: "Huvudkontor Oy", accountManagerID: consultant.id, country: "FI"), by: author)
            _ = try store.addAddress(customerID: withOffice.id, StoredAddressFields(
                street1: "Esplanaden 1", postalCode: "00100", city: "Helsingfors", country: "FI", kind: .visiting), by: author)
            for customer in [withoutOffice, withOffice] {
                _ = try store.createSalesCase(customerID: customer.id, StoredProjectFields(
                    name: "Affär", expectedValue: 12_500, expectedCurrency: "EUR"), by: author)
                let project = try store.createProject(customerID: customer.id, StoredProjectFields(
                    name: "Leverans", currency: "EUR"), by: author)
                _ = try store.setForecast(projectID: project.id, month: "2031-01", revenue: 1_000, cost: 400,
                                          billing: 900, hours: 10, by: author)
            }
            for user in [admin, consultant, readOnly] {
                let caller = Caller(user: user, service: nil)
                for customer in [withoutOffice, withOffice] {
                    let card = try CardServiceHandler.card(of: customer.id, tabs: [], from: nil, to: nil, for: caller,
                                                           store: store)
                    let written = try CardServiceHandler.encodedCard(of: customer.id, tabs: [], from: nil, to: nil,
                                                                     for: caller, store: store).bytes
                    #expect(written == (try BinaryEncoder().encode(card)), "user \(user.name), customer \(customer.name)")
                    let read = try BinaryDecoder().decode(CustomerCard.self, from: written)
                    #expect(read == card)
                    #expect(read.customer.headOffice?.city == (customer.id == withOffice.id ? "Helsingfors" : nil))
                    let project = try #require(read.salesAndProjects?.projects.first { $0.kind == .salesCase })
                    if user.id == admin.id {
                        #expect(read.financial?.currencies.count == 1 && read.financialHidden == nil)
                        #expect(project.expectedValue == 12_500 && project.moneyHidden == nil)
                    } else {
                        #expect(read.financial == nil && read.financialHidden == true, "user \(user.name)")
                        #expect(project.expectedValue == nil && project.moneyHidden == true, "user \(user.name)")
                    }
                }
            }
        }
    }
}

import BinaryCoding
import CustomerAPI
@testable import CustomerServer
import CustomerStore
import Foundation
import TestSupport
import Testing

/// The card's answer as the handler writes it (`CardServiceHandler.encoded`) is byte for byte the
/// card encoded by `BinaryEncoder.encode` and by its `Codable` conformance: every tab, tabs empty
/// and full, non-ASCII text, a customer with and without its optional fields.
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
            let caller = Caller(user: admin, service: nil)
            var plainCodable = BinaryEncoder()
            plainCodable.writesDirectly = false
            for customer in [bare, full] {
                for tabs in [[], [CardTab.contactInformation], [.salesAndProjects, .files], [.financial, .settings, .collaboration]] {
                    let card = try CardServiceHandler.card(of: customer.id, tabs: tabs, from: nil, to: nil, for: caller,
                                                           store: store)
                    let written = try CardServiceHandler.encoded(card).bytes
                    #expect(written == (try BinaryEncoder().encode(card)), "customer \(customer.name), tabs \(tabs)")
                    #expect(written == (try plainCodable.encode(card)), "customer \(customer.name), tabs \(tabs)")
                    #expect(try BinaryDecoder().decode(CustomerCard.self, from: written) == card)
                }
            }
        }
    }
}

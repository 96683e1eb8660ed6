import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

@Suite struct CustomerMergeTests {
    /// Two customers with one of everything a merge moves, and things both have.
    private struct Setup {
        let fixture: Fixture
        let kept: StoredCustomer
        let absorbed: StoredCustomer
        let keptHeadOffice: StoredAddress
        let absorbedAddresses: [StoredAddress]
        let contact: StoredContact
        let note: StoredActivity
        let salesCase: StoredProject
        let project: StoredProject
        let link: StoredLink
        let invoice: StoredInvoice
        let segments: [StoredSegment]
        var author: Author { .user(fixture.admin.id) }

        init() throws {
            fixture = try Fixture()
            let store = fixture.store, author = Author.user(fixture.admin.id)
            kept = try store.createCustomer(NewCustomer(name: "Acme Oy", country: "FI", email: "info@acme.fi"), by: author)
            absorbed = try store.createCustomer(NewCustomer(
                name: "ACME Ab", description: "From the old CRM", country: "SE", email: "sales@acme.se",
                website: "https://acme.se", phone: "+46 8 123 456"), by: author)
            keptHeadOffice = try store.addAddress(customerID: kept.id, StoredAddressFields(street1: "Katu 1", city: "Helsinki", country: "FI"), by: author)
            absorbedAddresses = [
                try store.addAddress(customerID: absorbed.id, StoredAddressFields(street1: "Gatan 1", city: "Stockholm", country: "SE"), by: author),
                try store.addAddress(customerID: absorbed.id, StoredAddressFields(street1: "Box 7", city: "Stockholm", country: "SE", kind: .postal), by: author),
            ]
            _ = try store.createLabel(.keyword, name: "vip")
            _ = try store.createContact(customerID: kept.id, StoredContactFields(firstName: "Anna", lastName: "Virtanen"),
                                        keywords: ["vip"], roles: [], by: author)
            contact = try store.createContact(customerID: absorbed.id, StoredContactFields(firstName: "Anna", lastName: "Virtanen"),
                                              keywords: ["vip"], roles: [], by: author)
            note = try store.addNote(customerID: absorbed.id, text: "Met at the fair", contactID: contact.id, by: author)
            salesCase = try store.createSalesCase(customerID: absorbed.id, StoredProjectFields(name: "Renewal"), by: author)
            project = try store.createProject(customerID: absorbed.id, StoredProjectFields(name: "Rollout", currency: "EUR"), by: author)
            let keptProject = try store.createProject(customerID: kept.id, StoredProjectFields(name: "Pilot", currency: "EUR"), by: author)
            for projectID in [project.id, keptProject.id] {
                _ = try store.setForecast(projectID: projectID, month: "2027-01", revenue: 100, cost: 50, billing: 100, hours: 10,
                                          by: author)
            }
            link = try store.addLink(customerID: absorbed.id, projectID: project.id, url: "https://acme.se/deal", title: "Deal",
                                     by: author)
            invoice = try store.issueInvoice(customerID: absorbed.id, contactID: contact.id, total: 1200, currency: "EUR",
                                             description: "Licences", settingsSnapshot: nil, by: author)
            segments = [try store.createSegment(name: "Retail", parentID: nil), try store.createSegment(name: "Nordics", parentID: nil)]
            _ = try store.setCustomerSegments(customerID: kept.id, segmentIDs: [segments[0].id], by: author)
            _ = try store.setCustomerSegments(customerID: absorbed.id, segmentIDs: segments.map(\.id), by: author)
        }
    }

    @Test func everyKindMovesAndTheKeptHeadOfficeStays() throws {
        let setup = try Setup()
        let store = setup.fixture.store
        let merge = try store.mergeCustomers(keep: setup.kept.id, absorb: setup.absorbed.id, dryRun: false, by: setup.author)
        #expect(!merge.dryRun)
        let moved = Dictionary(uniqueKeysWithValues: merge.moved.map { ($0.kind, $0.ids) })
        #expect(moved[.addresses] == setup.absorbedAddresses.map(\.id))
        #expect(moved[.contacts] == [setup.contact.id])
        #expect(moved[.activities] == [setup.note.id])
        #expect(moved[.salesCases] == [setup.salesCase.id])
        #expect(moved[.projects] == [setup.project.id])
        #expect(moved[.links] == [setup.link.id])
        #expect(moved[.invoices] == [setup.invoice.id])
        #expect(moved[.segments] == [setup.segments[1].id])

        let addresses = try store.addresses(customerID: setup.kept.id)
        #expect(Set(addresses.map(\.id)) == Set([setup.keptHeadOffice.id] + setup.absorbedAddresses.map(\.id)))
        #expect(try store.headOffice(customerID: setup.kept.id)?.id == setup.keptHeadOffice.id)
        #expect(try store.contact(id: setup.contact.id).customerID == setup.kept.id)
        #expect(try store.contact(id: setup.contact.id).keywords == ["vip"])
        #expect(try store.project(id: setup.project.id).customerID == setup.kept.id)
        #expect(try store.project(id: setup.salesCase.id).customerID == setup.kept.id)
        let invoice = try store.invoice(id: setup.invoice.id)
        #expect(invoice.customerID == setup.kept.id)
        #expect(invoice.customerName == "ACME Ab")   // the snapshot says what it said when issued
        #expect(try store.activities(customerID: setup.kept.id, now: setup.fixture.clock.now).done.contains { $0.id == setup.note.id })
        #expect(try setup.fixture.rawCount("SELECT count(*) FROM links WHERE customer_id = ?", [.integer(setup.kept.id)]) == 1)
        #expect(try setup.fixture.rawCount("SELECT count(*) FROM customer_segments WHERE customer_id = ?",
                                           [.integer(setup.kept.id)]) == 2)
        // Fields it lacked came along; its own stayed.
        #expect(merge.kept.description == "From the old CRM")
        #expect(merge.kept.website == "https://acme.se")
        #expect(merge.kept.email == "info@acme.fi")
        #expect(merge.kept.country == "FI")
    }

    @Test func theAbsorbedIdAnswersMergedNamingTheSurvivor() throws {
        let setup = try Setup()
        let store = setup.fixture.store
        _ = try store.mergeCustomers(keep: setup.kept.id, absorb: setup.absorbed.id, dryRun: false, by: setup.author)
        let expected = StoreError.merged("customer \(setup.absorbed.id) was merged into customer \(setup.kept.id)", into: setup.kept.id)
        #expect(storeError { _ = try store.customer(id: setup.absorbed.id) } == expected)
        #expect(storeError { _ = try store.updateCustomer(id: setup.absorbed.id, CustomerChanges(name: "X"), expectedVersion: nil,
                                                          by: setup.author) } == expected)
        #expect(storeError { _ = try store.addNote(customerID: setup.absorbed.id, text: "x", contactID: nil, by: setup.author) } == expected)
        #expect(storeError { _ = try store.cardTabs(customerID: setup.absorbed.id, now: setup.fixture.clock.now, tabs: []) } == expected)
        // A customer that never existed is still plainly not found.
        #expect(storeError { _ = try store.customer(id: 999_999) } == .notFound("customer 999999 does not exist"))
        // Both histories end with the merge.
        let keptEntry = try #require(store.history(.customer, id: setup.kept.id).last)
        #expect(keptEntry.action == "merged")
        #expect(keptEntry.changes.first == StoredFieldChange(field: "absorbed", oldValue: nil, newValue: String(setup.absorbed.id)))
        let absorbedEntry = try #require(store.history(.customer, id: setup.absorbed.id).last)
        #expect(absorbedEntry.action == "merged")
        #expect(absorbedEntry.changes == [StoredFieldChange(field: "mergedInto", oldValue: nil, newValue: String(setup.kept.id))])
    }

    @Test func aDryRunShowsTheConflictsAndChangesNothing() throws {
        let setup = try Setup()
        let store = setup.fixture.store
        let before = try store.customer(id: setup.kept.id)
        let plan = try store.mergeCustomers(keep: setup.kept.id, absorb: setup.absorbed.id, dryRun: true, doNotFill: ["website"],
                                            by: setup.author)
        #expect(plan.dryRun)
        let kinds = Set(plan.conflicts.map(\.kind))
        #expect(kinds == [.field, .headOffice, .segment, .contact, .forecast])
        #expect(plan.conflicts.contains(StoredMergeConflict(kind: .headOffice, subject: "headOffice",
                                                            kept: String(setup.keptHeadOffice.id),
                                                            absorbed: String(setup.absorbedAddresses[0].id))))
        #expect(plan.conflicts.contains(StoredMergeConflict(kind: .forecast, subject: "2027-01")))
        #expect(plan.conflicts.contains(StoredMergeConflict(kind: .field, subject: "email", kept: "info@acme.fi", absorbed: "sales@acme.se")))
        #expect(plan.filled.map(\.field) == ["description", "phone"])   // website withheld
        #expect(try store.customer(id: setup.absorbed.id).id == setup.absorbed.id)
        #expect(try store.customer(id: setup.kept.id) == before)
        #expect(try store.contact(id: setup.contact.id).customerID == setup.absorbed.id)
        #expect(try setup.fixture.rawCount("SELECT count(*) FROM customer_merges") == 0)
    }

    @Test func aCustomerCannotAbsorbItselfAndUnknownFieldsAreRefused() throws {
        let setup = try Setup()
        let store = setup.fixture.store
        let before = try store.customer(id: setup.absorbed.id)
        #expect(violations { _ = try store.mergeCustomers(keep: setup.kept.id, absorb: setup.kept.id, dryRun: false, by: setup.author) }?
            .map(\.field) == ["absorbId"])
        #expect(violations { _ = try store.mergeCustomers(keep: setup.kept.id, absorb: setup.absorbed.id, dryRun: false,
                                                          doNotFill: ["name"], by: setup.author) }?.map(\.field) == ["doNotFill"])
        #expect(try store.customer(id: setup.absorbed.id) == before)
    }

    @Test func chainsEndAtTheLastSurvivor() throws {
        let fixture = try Fixture()
        let (a, b, c) = (try fixture.create("A"), try fixture.create("B"), try fixture.create("C"))
        _ = try fixture.store.mergeCustomers(keep: b.id, absorb: a.id, dryRun: false, by: .user(fixture.admin.id))
        // Into a customer that was itself absorbed: refused, naming where it went.
        #expect(storeError { _ = try fixture.store.mergeCustomers(keep: a.id, absorb: c.id, dryRun: false, by: .user(fixture.admin.id)) }
            == .merged("customer \(a.id) was merged into customer \(b.id)", into: b.id))
        _ = try fixture.store.mergeCustomers(keep: c.id, absorb: b.id, dryRun: false, by: .user(fixture.admin.id))
        #expect(storeError { _ = try fixture.store.customer(id: a.id) }
            == .merged("customer \(a.id) was merged into customer \(c.id)", into: c.id))
        #expect(storeError { _ = try fixture.store.customer(id: b.id) }
            == .merged("customer \(b.id) was merged into customer \(c.id)", into: c.id))
        // The absorbed numbers are never handed out again.
        #expect(try fixture.rawCount("SELECT count(*) FROM retired_customer_numbers WHERE number IN (?, ?)",
                                     [.integer(a.number), .integer(b.number)]) == 2)
    }

    @Test func theKeptCustomerWithoutAddressesTakesTheAbsorbedHeadOffice() throws {
        let fixture = try Fixture()
        let author = Author.user(fixture.admin.id)
        let (kept, absorbed) = (try fixture.create("Kept"), try fixture.create("Absorbed"))
        let office = try fixture.store.addAddress(customerID: absorbed.id, StoredAddressFields(city: "Oslo", country: "NO"), by: author)
        let merge = try fixture.store.mergeCustomers(keep: kept.id, absorb: absorbed.id, dryRun: false, by: author)
        #expect(merge.kept.headOffice?.id == office.id)
        #expect(merge.conflicts.isEmpty)
    }

    @Test func erasingTheSurvivorErasesTheAbsorbedCustomersHistoryToo() throws {
        let fixture = try Fixture()
        let author = Author.user(fixture.admin.id)
        let kept = try fixture.create("Kept Oy")
        let absorbed = try fixture.create("Absorbed Ab")
        _ = try fixture.store.updateCustomer(id: absorbed.id, CustomerChanges(email: "owner@zqxsecret.example"),
                                             expectedVersion: nil, by: author)
        _ = try fixture.store.mergeCustomers(keep: kept.id, absorb: absorbed.id, dryRun: false, by: author)
        let mentions = "SELECT count(*) FROM history WHERE changes LIKE '%zqxsecret%'"
        #expect(try fixture.rawCount(mentions) > 0)
        try fixture.store.deleteCustomer(id: kept.id, by: author)
        #expect(try fixture.rawCount(mentions) == 0)
    }
}

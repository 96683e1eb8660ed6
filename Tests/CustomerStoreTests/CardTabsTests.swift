import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

@Suite struct CardTabsTests {
    /// Seeds `projects` projects with 12 forecast months each and `tasks` tasks spread over them.
    private static func seed(_ fixture: Fixture, _ customer: StoredCustomer, projects: Int, tasks: Int) throws {
        let store = fixture.store
        let ids = try (0..<projects).map { index in
            try store.createProject(customerID: customer.id, StoredProjectFields(name: "Project \(index)",
                                                                           currency: index % 3 == 0 ? "NOK" : "EUR"),
                                    by: .user(fixture.admin.id)).id
        }
        for id in ids {
            for month in 1...12 {
                _ = try store.setForecast(projectID: id, month: String(format: "2027-%02d", month), revenue: 100,
                                          cost: Decimal(month), billing: 50, hours: 1, by: .user(fixture.admin.id))
            }
        }
        for index in 0..<tasks {
            _ = try store.addProjectTask(projectID: ids[index % ids.count], name: "Task \(index)", assigneeID: nil,
                                         dueOn: nil, by: .user(fixture.admin.id))
            if index % 10 == 0 {
                _ = try store.addCollaborationNote(projectID: ids[index % ids.count], text: "Note \(index)",
                                                   by: .user(fixture.admin.id))
            }
        }
    }

    /// How many statements `body` runs on the store's only reader.
    private static func statements(_ store: CustomerStore, _ body: () throws -> Void) throws -> Int {
        let before = try store.readers.withConnection { $0.statementsRun }
        try body()
        return try store.readers.withConnection { $0.statementsRun } - before
    }

    @Test func theCardIsOneSnapshotOfAFixedNumberOfQueries() throws {
        // No search indexer: its commits, between two counted reads, would make the second look its names up again.
        let fixture = try Fixture(readerCount: 1, indexesSearchBehind: false)
        let store = fixture.store
        let small = try fixture.create("Small")
        let big = try fixture.create("Big")
        try Self.seed(fixture, small, projects: 1, tasks: 1)
        try Self.seed(fixture, big, projects: 20, tasks: 200)
        let now = fixture.clock.now
        let all = Set(CardTabSelection.allCases)

        var card: CardTabs<StoredCustomer>?
        // A card read first, so both counted reads find the admin's name kept (`KeptNames`).
        _ = try store.cardTabs(customerID: small.id, now: now, tabs: all)
        let bigCount = try Self.statements(store) { card = try store.cardTabs(customerID: big.id, now: now, tabs: all) }
        let smallCount = try Self.statements(store) { _ = try store.cardTabs(customerID: small.id, now: now, tabs: all) }
        // BEGIN, customer, addresses, contacts (+ labels only when there are contacts), activities,
        // projects, collaboration, forecasts, COMMIT, and one name look-up per user the rows name
        // that the reader has not kept (`UserNames`; here none): the same for 1 project as for 20 (no N+1).
        #expect(bigCount == smallCount && bigCount <= 15)

        let tabs = try #require(card)
        #expect(tabs.customer == (try store.customer(id: big.id)))
        #expect(tabs.contactInformation == (try store.contactInformation(customerID: big.id, now: now)))
        #expect(tabs.salesAndProjects == (try store.salesAndProjects(customerID: big.id)))
        #expect(tabs.collaboration == (try store.collaboration(customerID: big.id)))
        #expect(tabs.financial == (try store.financialSummary(customerID: big.id)))
        #expect(tabs.salesAndProjects?.projects.count == 20 && tabs.collaboration?.count == 220)
        #expect(tabs.contactInformation?.activities.planned.count == 200)
        let euro = try #require(tabs.financial?.currencies.first { $0.currency == "EUR" })
        // 13 EUR projects: revenue 13 * 12 * 100; cost 13 * (1 + ... + 12).
        #expect(euro.months.count == 12 && euro.total.revenue == 15_600 && euro.total.cost == 1_014)

        let financialOnly = try store.cardTabs(customerID: big.id, now: now, tabs: [.financial])
        #expect(financialOnly.financial == tabs.financial && financialOnly.contactInformation == nil)
        #expect(financialOnly.salesAndProjects == nil && financialOnly.collaboration == nil)
        #expect(throws: StoreError.notFound("customer 999 does not exist", field: "customerId")) {
            try store.cardTabs(customerID: 999, now: now, tabs: all)
        }
    }
}

@Suite struct UserNameTests {
    /// A reader keeps the names it looked up for its next reads (`KeptNames`) only while the
    /// database is unchanged: a read of an unchanged database looks no name up again, and a user
    /// renamed behind the store's back (no call renames one) is shown by the new name on the very
    /// next read.
    @Test func keptNamesLastUntilTheDatabaseChanges() throws {
        // No search indexer: its commits, between two counted reads, would make the second look its names up again.
        let fixture = try Fixture(readerCount: 1, indexesSearchBehind: false)
        let store = fixture.store
        let customer = try fixture.create("Kept Oy")
        func statementsRun() throws -> Int { try store.readers.withConnection { $0.statementsRun } }
        #expect(try store.customer(id: customer.id).createdBy == fixture.admin.ref)
        let before = try statementsRun()
        #expect(try store.customer(id: customer.id).createdBy == fixture.admin.ref)
        #expect(try statementsRun() - before == 1, "the customer's SELECT only: the admin's name was kept")

        let raw = try SQLiteConnection(path: fixture.directory.databasePath, role: .writer, options: .init())
        defer { raw.close() }
        try raw.execute("UPDATE users SET name = 'renamed' WHERE id = \(fixture.admin.id)")
        let read = try store.customer(id: customer.id)
        #expect(read.createdBy == StoredUserRef(id: fixture.admin.id, name: "renamed"))
        #expect(read.updatedBy.name == "renamed")
    }

    /// Every tab names the users its rows refer to through `UserNames`, as the contact tab does;
    /// a row naming a user who does not exist is a damaged database (DATA_LOSS), never a row left
    /// out as the joins it replaced did.
    @Test func theTabsNameTheirUsersAndABrokenUserReferenceIsDataLoss() throws {
        let fixture = try Fixture(readerCount: 1)
        let store = fixture.store
        let customer = try fixture.create("Names Oy")
        let bob = Author.user(fixture.other.id)
        let (alice, bobRef) = (fixture.admin.ref, fixture.other.ref)
        let project = try store.createProject(customerID: customer.id,
                                              StoredProjectFields(name: "P", managerID: fixture.admin.id,
                                                                  currency: "EUR"), by: bob)
        _ = try store.addProjectTask(projectID: project.id, name: "T", assigneeID: fixture.admin.id, dueOn: nil, by: bob)
        _ = try store.addCollaborationNote(projectID: project.id, text: "N", by: bob)
        _ = try store.setForecast(projectID: project.id, month: "2027-01", revenue: 1, cost: 0, billing: 0, hours: 0,
                                  by: bob)
        _ = try store.updateCustomerSettings(customerID: customer.id, CustomerSettingsChanges(paymentTermDays: 14),
                                             expectedVersion: nil, by: bob)
        _ = try store.addLink(customerID: customer.id, projectID: project.id, url: "https://example.com", title: nil,
                              by: bob)

        let card = try store.cardTabs(customerID: customer.id, now: fixture.clock.now, tabs: Set(CardTabSelection.allCases))
        let stored = try #require(card.salesAndProjects?.projects.first)
        #expect(stored.manager == alice && stored.createdBy == bobRef && stored.updatedBy == bobRef)
        let items = try #require(card.collaboration)
        #expect(items.count == 2)
        for item in items {
            switch item {
            case .task(let task): #expect(task.assignee == alice && task.createdBy == bobRef && task.updatedBy == bobRef)
            case .note(let note): #expect(note.author == bobRef)
            }
        }
        #expect(card.settings?.settings.updatedBy == bobRef)
        #expect(card.files?.links.map(\.createdBy) == [bobRef] && card.files?.links.map(\.updatedBy) == [bobRef])
        #expect(try store.forecasts(projectID: project.id).map(\.updatedBy) == [bobRef])
        let authors = try store.history(.project, id: project.id).map(\.by)
        #expect(!authors.isEmpty && authors.allSatisfy { $0 == bobRef })

        // Damage the database behind the store's back: a second connection without foreign keys.
        let raw = try SQLiteConnection(path: fixture.directory.databasePath, role: .writer, options: .init())
        try raw.execute("PRAGMA foreign_keys = OFF")
        let missing = StoreError.dataLoss("a row names user 999, who does not exist (a foreign key is broken)")
        try raw.execute("UPDATE projects SET manager_id = 999")
        #expect(throws: missing) { try store.cardTabs(customerID: customer.id, now: fixture.clock.now, tabs: [.salesAndProjects]) }
        try raw.execute("UPDATE collaboration_notes SET author_id = 999")
        #expect(throws: missing) { try store.collaboration(customerID: customer.id) }
        try raw.execute("UPDATE history SET by_user = 999")
        #expect(throws: missing) { try store.history(.project, id: project.id) }
    }
}

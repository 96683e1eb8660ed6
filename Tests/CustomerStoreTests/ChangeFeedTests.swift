import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// The change feed in the store: the history by sequence number, pages, filters, the retention
/// horizon and the schema version that adds it.
@Suite struct ChangeFeedStoreTests {
    @Test func aDatabaseFromVersion11ServesItsWholeHistoryAfterTheMigration() throws {
        let directory = try TemporaryDirectory()
        var old = Fixture.options(clock: TestClock())
        old.migrateUpTo = 11
        do {
            // Written by version-11 SQL: today's store writes tables later migrations add.
            let store = try CustomerStore(path: directory.databasePath, options: old)
            let admin = try insertLegacyUser(store, uid: 1000, name: "alice", isAdministrator: true)
            try store.write { connection in
                try connection.run("""
                    INSERT INTO customers (id, number, name, name_key, search_text, created_at, created_by, updated_at, updated_by)
                    VALUES (1, 10001, 'Old Oyj', 'old oyj', 'old oyj', 1000, ?1, 2000, ?1);
                    """, [.integer(admin)])
                try connection.run("""
                    INSERT INTO history (entity, entity_id, customer_id, action, at, by_user)
                    VALUES ('customer', 1, 1, 'created', 1000, ?1), ('customer', 1, 1, 'updated', 2000, ?1)
                    """, [.integer(admin)])
                try connection.run("""
                    INSERT INTO history_changes (history_id, position, field, old_value, new_value)
                    SELECT id, 0, 'name', 'Old Oy', 'Old Oyj' FROM history WHERE action = 'updated'
                    """, [])
            }
            store.close()
        }
        let store = try CustomerStore(path: directory.databasePath)
        defer { store.close() }
        let before = try store.history(.customer, id: 1)
        #expect(before.count == 2)
        #expect(store.appliedMigrations.contains(12))
        #expect(try store.feedBounds(applying: .unlimited) == FeedBounds(prunedThrough: 0, last: before.last?.id ?? -1))
        let page = try store.changes(after: 0, filter: ChangeFeedFilter(), limit: 100)
        #expect(page.entries == before)
        #expect(page.through == before.last?.id)
    }

    @Test func pagesFollowTheSequenceAndFiltersStillMoveOn() throws {
        let fixture = try Fixture()
        let first = try fixture.create("First Oy")
        let contact = try fixture.store.createContact(customerID: first.id, StoredContactFields(lastName: "Kontakti"),
                                                      keywords: [], roles: [], by: .user(fixture.admin.id))
        let second = try fixture.create("Second Oy")
        let all = try fixture.store.changes(after: 0, filter: ChangeFeedFilter(), limit: 100).entries
        #expect(all.map(\.id) == all.map(\.id).sorted())
        #expect(all.map(\.entityID) == [first.id, contact.id, second.id])
        // A created entry carries the values the record was created with.
        #expect(all[0].changes.contains(StoredFieldChange(field: "name", oldValue: nil, newValue: "First Oy")))
        #expect(all[1].changes.contains(StoredFieldChange(field: "lastName", oldValue: nil, newValue: "Kontakti")))

        let contacts = try fixture.store.changes(after: 0, filter: ChangeFeedFilter(kinds: [.contact]), limit: 2)
        #expect(contacts.entries.map(\.entityID) == [contact.id])
        #expect(contacts.through == all[1].id)
        let rest = try fixture.store.changes(after: contacts.through, filter: ChangeFeedFilter(kinds: [.contact]), limit: 2)
        #expect(rest.entries.isEmpty && rest.through == all[2].id)
        let nothingNew = try fixture.store.changes(after: rest.through, filter: ChangeFeedFilter(), limit: 2)
        #expect(nothingNew.entries.isEmpty && nothingNew.through == rest.through)
    }

    /// CHANGE-FEED.md: "a `created` event lists the values it was created with". Projects, their
    /// tasks and activities recorded a bare `created` (an outside client's finding), so a copy kept
    /// from the feed had to read each new one back.
    @Test func aCreatedProjectTaskAndActivityListTheirValuesAsCustomersDo() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Values Oy")
        let start = try fixture.store.feedBounds(applying: .unlimited).last
        let sale = try fixture.store.createSalesCase(customerID: customer.id, StoredProjectFields(
            name: "Deal", expectedValue: 9_000, expectedCurrency: "EUR"), by: .user(fixture.admin.id))
        let task = try fixture.store.addProjectTask(projectID: sale.id, name: "Offer", assigneeID: nil, dueOn: "2027-02-01",
                                                    by: .user(fixture.admin.id))
        let call = try fixture.store.addTask(customerID: customer.id, subject: "Call back", dueAt: nil, assigneeID: nil,
                                             contactID: nil, by: .user(fixture.admin.id))
        let created = try fixture.store.changes(after: start, filter: ChangeFeedFilter(), limit: 100).entries
        #expect(created.map(\.entityID) == [sale.id, task.id, call.id])
        #expect(created.map(\.changes) == [
            [StoredFieldChange(field: "kind", oldValue: nil, newValue: "salesCase"),
             StoredFieldChange(field: "name", oldValue: nil, newValue: "Deal"),
             StoredFieldChange(field: "expectedValue", oldValue: nil, newValue: "9000"),
             StoredFieldChange(field: "expectedCurrency", oldValue: nil, newValue: "EUR"),
             StoredFieldChange(field: "outcome", oldValue: nil, newValue: "open")],
            [StoredFieldChange(field: "name", oldValue: nil, newValue: "Offer"),
             StoredFieldChange(field: "dueOn", oldValue: nil, newValue: "2027-02-01"),
             StoredFieldChange(field: "status", oldValue: nil, newValue: "planned")],
            [StoredFieldChange(field: "subject", oldValue: nil, newValue: "Call back"),
             StoredFieldChange(field: "assignee", oldValue: nil, newValue: String(fixture.admin.id))],
        ])
        #expect(try fixture.store.history(.project, id: sale.id).first?.changes == created.first?.changes)
    }

    @Test func ownScopeLeavesOutTheCustomersOfOthers() throws {
        let fixture = try Fixture()
        let managed = try fixture.store.createCustomer(NewCustomer(name: "Bob's Oy", accountManagerID: fixture.other.id),
                                                       by: .user(fixture.admin.id))
        _ = try fixture.create("Alice's Oy")
        let page = try fixture.store.changes(after: 0, filter: ChangeFeedFilter(accountManagerID: fixture.other.id), limit: 100)
        #expect(page.entries.map(\.customerID) == [managed.id])
    }

    @Test func retentionMovesTheHorizonUpOnlyAndRefusesCursorsOutsideIt() throws {
        let fixture = try Fixture()
        for index in 0..<5 { try fixture.create("Kept \(index)") }
        let last = try fixture.store.feedBounds(applying: .unlimited).last
        let byCount = try fixture.store.feedBounds(applying: FeedRetention(count: 2))
        #expect(byCount == FeedBounds(prunedThrough: last - 2, last: last))
        // A wider window later does not bring pruned events back.
        #expect(try fixture.store.feedBounds(applying: .unlimited).prunedThrough == last - 2)
        #expect(throws: ChangeFeedError.cursorPruned(cursor: last - 3, prunedThrough: last - 2)) {
            try CustomerStore.checkCursor(last - 3, within: byCount)
        }
        #expect(throws: ChangeFeedError.cursorAhead(cursor: last + 1, last: last)) {
            try CustomerStore.checkCursor(last + 1, within: byCount)
        }
        try CustomerStore.checkCursor(last - 2, within: byCount)

        fixture.clock.advance(milliseconds: 3 * 86_400_000)
        try fixture.create("Recent")
        let byDays = try fixture.store.feedBounds(applying: FeedRetention(days: 2))
        #expect(byDays == FeedBounds(prunedThrough: last, last: last + 1))
    }

    @Test func aDaysWindowTooLongForMillisecondsKeepsEverything() throws {
        let fixture = try Fixture()
        try fixture.create("Old")
        fixture.clock.advance(milliseconds: 3 * 86_400_000)
        let last = try fixture.store.feedBounds(applying: .unlimited).last
        #expect(try fixture.store.feedBounds(applying: FeedRetention(days: .max)) == FeedBounds(prunedThrough: 0, last: last))
    }
}

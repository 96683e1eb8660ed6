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

    @Test func ownScopeKeepsOnlyTheCustomersTheUserManagesNow() throws {
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

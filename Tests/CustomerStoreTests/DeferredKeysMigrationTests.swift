import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Migration 25 edits the stored CREATE TABLE text of `customers`, `history` and
/// `customer_match_keys`: foreign keys checked at COMMIT, CHECKs without function calls, so that a
/// group's creates (`INSERT OR ROLLBACK`, `CustomerCreateBatch`) keep no statement journal. The
/// rows stay; what the CHECKs no longer bound, the validator does; what a deferred key changes is
/// that a violation fails at COMMIT, which no request can reach because every write checks first.
@Suite struct DeferredKeysMigrationTests {
    static let tables = ["customers", "history", "customer_match_keys"]

    @Test func rowsStayAndTheGroupsInsertsCanNoLongerAbortAStatement() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        let before: [String]
        do {
            let store = try store(before: Migrations.deferredKeys, at: path)
            // Users and industries as version 24 wrote them (today's lookups by name read migration
            // 26's fold column), the industry set in place.
            let admin = try insertLegacyUser(store, uid: 1000, name: "alice", isAdministrator: true)
            try writingTodaysHistory(store) {
                let delta = try store.createCustomer(NewCustomer(name: "Delta Oy", accountManagerID: admin, vatNumber: "FI01120389",
                                                                 country: "FI", email: "info@delta.fi"),
                                                     by: .user(admin))
                try store.write { connection in
                    try connection.run("INSERT INTO industries (name) VALUES ('Forestry')")
                    try connection.run("UPDATE customers SET industry_id = ? WHERE id = ?",
                                       [.integer(connection.lastInsertRowID), .integer(delta.id)])
                }
                _ = try store.createCustomer(NewCustomer(name: "Epsilon Ab", country: "SE"), by: .user(admin))
            }
            // Before: the batch's statements may abort (immediate keys, functions in CHECKs).
            #expect(!Self.abortingSteps(store, CustomerCreateBatch.insertCustomers.oneRowSQL).isEmpty)
            before = try Self.rows(store)
            store.close()
        }
        #expect(before.count == 2 + 2 + 4)  // customers, history entries, match keys

        let upgraded = try CustomerStore(path: path)
        defer { upgraded.close() }
        #expect(upgraded.appliedMigrations == Array(Migrations.deferredKeys.version...Migrations.latestVersion))
        #expect(try Self.rows(upgraded) == before)
        let schema = try Self.tables.map { try Self.storedText(upgraded, $0) }.joined()
        #expect(!schema.contains("length("))
        #expect(schema.components(separatedBy: "DEFERRABLE INITIALLY DEFERRED").count - 1 == 5 + 4 + 1)
        #expect(try upgraded.write { try $0.integrityCheck(limit: 10) } == ["ok"])
        for insert in [CustomerCreateBatch.insertCustomers, CustomerCreateBatch.insertKeys, CustomerCreateBatch.insertEntries] {
            #expect(Self.abortingSteps(upgraded, insert.oneRowSQL) == [], "\(insert.table)")
        }
        // A lone create's statements keep ABORT: its conflict fails only itself.
        #expect(Self.abortingSteps(upgraded, CustomerStore.insertCustomers.oneRowSQL).contains("Halt abort"))
    }

    /// The name's CHECK is `name <> ''` now: the upper bound is the validator's, counted in code
    /// points after NFC as SQL's length() counted them. 200 decomposed "é" are 400 code points as
    /// sent and 200 as stored: accepted; 201 are refused with the field and the limit, through a
    /// create and through an import; the table still refuses an empty name.
    @Test func aNameOverTwoHundredCodePointsIsRefusedByTheValidator() throws {
        let fixture = try Fixture()
        let decomposed = String(repeating: "e\u{301}", count: 200)
        let stored = try fixture.create(decomposed)
        #expect(try fixture.rawCount("SELECT length(name) FROM customers WHERE id = ?", [.integer(stored.id)]) == 200)
        let tooLong = FieldViolation(field: "name", reason: "must be 1 to 200 characters after trimming")
        #expect(violations { _ = try fixture.create(decomposed + "e\u{301}") } == [tooLong])
        var batches = [[CustomerImportRow(line: 2, customer: NewCustomer(name: decomposed + "e\u{301}"))]][...]
        let outcome = try fixture.store.importCustomers(mode: .continueOnError, allowDuplicateVAT: false,
                                                        by: .user(fixture.admin.id)) { batches.popFirst() }
        #expect(outcome.imported == 0 && outcome.rejectedRows == 1)
        #expect(outcome.problems.map(\.violation) == [tooLong])
        #expect(throws: (any Error).self) {
            try fixture.rawWrite("""
                INSERT INTO customers (number, name, name_key, search_text, created_at, created_by, updated_at, updated_by)
                VALUES (99999, '', '', '', 0, ?1, 0, ?1)
                """, [.integer(fixture.admin.id)])
        }
        #expect(try fixture.rawCount("SELECT count(*) FROM customers") == 1)
    }

    /// A key is checked at COMMIT now: a write naming a user that does not exist goes through its
    /// statement and fails at COMMIT with nothing kept (no request can send one: the store checks
    /// every author and account manager before writing).
    @Test func aBrokenReferenceFailsAtCommitAndKeepsNothing() throws {
        let fixture = try Fixture()
        let entries = try fixture.rawCount("SELECT count(*) FROM history")
        let error = #expect(throws: StoreError.self) {
            try fixture.store.write { connection in
                try connection.run("""
                    INSERT INTO history (entity, entity_id, customer_id, action, at, by_user) VALUES ('customer', 1, 1, 'created', 0, 9999)
                    """)
                #expect(try connection.withStatement("SELECT count(*) FROM history") { try $0.step() ? $0.int64(0) : -1 } == entries + 1)
            }
        }
        #expect("\(String(describing: error))"
            == "Optional(failed precondition: a referenced record does not exist or is still referenced (while COMMIT))")
        #expect(try fixture.rawCount("SELECT count(*) FROM history") == entries)
    }

    /// A create's references are checked when it runs, against what the members before it in its
    /// group left: an industry deleted (forced) by a member between two creates fails only the
    /// create after it, with its own message; the create before it keeps its row, its industry
    /// cleared by the deletion, and the group commits.
    @Test func aCreateNamingAnIndustryDeletedEarlierInItsGroupFailsAlone() async throws {
        let fixture = try Fixture.withLogTable()
        _ = try fixture.store.createIndustry(name: "Forestry")
        let gate = Gate()
        let held = try await fixture.startHeldWrite(gate)
        let create = { @Sendable (name: String) in
            try fixture.store.createCustomer(NewCustomer(name: name, industry: "Forestry"), by: .user(fixture.admin.id))
        }
        let first = ThreadTask { try create("First Oy") }
        try await fixture.waitUntilQueued(1)
        let deletion = ThreadTask { try fixture.store.deleteIndustry(name: "Forestry", force: true) }
        try await fixture.waitUntilQueued(2)
        let second = ThreadTask { try create("Second Oy") }
        try await fixture.waitUntilQueued(3)
        let third = ThreadTask { try fixture.create("Third Oy") }
        try await fixture.waitUntilQueued(4)
        let groupsBefore = fixture.store.writer.statistics.groups
        gate.open()  // The held write's group ends, then the four queued run as one.
        #expect(try await held.value == 1)
        #expect(try await first.value.industry == "Forestry")
        #expect(try await deletion.value == 1)
        let refused = await #expect(throws: StoreError.self) { try await second.value }
        guard case .invalidArgument(let violations)? = refused else {
            Issue.record("expected the unknown industry, got \(String(describing: refused))")
            return
        }
        #expect(violations.map(\.field) == ["industry"])
        #expect(try await third.value.name == "Third Oy")
        #expect(fixture.store.writer.statistics.groups - groupsBefore == 2)
        let names = try allPages(fixture.store, order: .byNumber).map { "\($0.name) \($0.industry ?? "-")" }
        #expect(names == ["First Oy -", "Third Oy -"])
    }

    // MARK: Helpers

    /// The steps of `sql`'s program that make SQLite keep a statement journal for a statement
    /// writing several rows (it "may abort"): an immediate foreign key's counter ("FkCounter
    /// immediate"), a constraint's ABORT ("Halt abort"), a function call ("Function").
    static func abortingSteps(_ store: CustomerStore, _ sql: String) -> [String] {
        let steps = try? store.write { connection in
            try connection.withStatement("EXPLAIN \(sql)") { statement in
                var steps: [String] = []
                while try statement.step() {
                    let opcode = try statement.text("opcode"), p1 = try statement.int64("p1"), p2 = try statement.int64("p2")
                    switch opcode {
                    case "FkCounter" where p1 == 0: steps.append("FkCounter immediate")
                    case "Halt" where p2 == 2, "HaltIfNull" where p2 == 2: steps.append("Halt abort")
                    case "Function", "PureFunc": steps.append("Function")
                    default: break
                    }
                }
                return steps
            }
        }
        return steps ?? ["EXPLAIN failed"]
    }

    static func storedText(_ store: CustomerStore, _ table: String) throws -> String {
        try store.write { try Migrations.schemaText($0, "type = 'table' AND name = '\(table)'").joined() }
    }

    /// Every row of the three tables, as text.
    static func rows(_ store: CustomerStore) throws -> [String] {
        try store.write { connection in
            var rows: [String] = []
            // The history's columns of version 24 (migration 28 adds `manager_id`, NULL for these rows).
            for sql in ["SELECT * FROM customers ORDER BY id",
                        "SELECT id, entity, entity_id, customer_id, action, at, by_user, source, via_user, changes FROM history ORDER BY id",
                        "SELECT * FROM customer_match_keys ORDER BY kind, key, customer_id"] {
                try connection.withStatement(sql) { statement in
                    while try statement.step() {
                        rows.append((0..<statement.columnCount).map { statement.optionalText($0) ?? "NULL" }.joined(separator: "|"))
                    }
                }
            }
            return rows
        }
    }
}

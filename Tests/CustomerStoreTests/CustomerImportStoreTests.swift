import Foundation
import Testing
@testable import CustomerStore

/// `importCustomers` in the store: rows streamed in batches into one transaction.
@Suite struct CustomerImportStoreTests {
    private func row(_ line: Int64, _ name: String, number: Int64? = nil, vatNumber: String? = nil,
                     email: String? = nil) -> CustomerImportRow {
        CustomerImportRow(line: line, customer: NewCustomer(number: number, name: name, vatNumber: vatNumber, email: email))
    }

    /// Feeds `batches` one at a time, as the server hands over a client stream's messages.
    private func run(_ fixture: Fixture, _ mode: CustomerImportMode, _ batches: [[CustomerImportRow]]) throws
        -> CustomerImportOutcome {
        var remaining = batches[...]
        return try fixture.store.importCustomers(mode: mode, allowDuplicateVAT: false, by: .user(fixture.admin.id)) {
            remaining.popFirst()
        }
    }

    /// Automatic numbers come from a block, yet they are the ones creates one after another would
    /// take: numbers given in the same import (or before it, or retired) are skipped, and a refused
    /// row uses none up.
    @Test func automaticNumbersSkipGivenOnesAndRefusedRowsTakeNone() throws {
        let fixture = try Fixture()
        _ = try fixture.create("Before Oy", number: 10_003)
        let outcome = try run(fixture, .continueOnError, [
            [row(2, "A"), row(3, "Given", number: 10_002), row(4, "")],
            [row(5, "B"), row(6, "C"), row(7, "Far", number: 10_007), row(8, "D"), row(9, "Again", number: 10_002)],
        ])
        #expect(outcome.rows == 8 && outcome.imported == 6 && outcome.rejectedRows == 2)
        #expect(outcome.problems.map(\.line) == [4, 9])
        #expect(outcome.problems.last?.violation == FieldViolation(field: "number", reason: "is already taken"))
        let numbers = try fixture.store.listCustomers(CustomerFilter(status: .all), order: .byNumber, limit: 100, pageToken: nil).customers
            .map { "\($0.number) \($0.name)" }
        #expect(numbers == ["10001 A", "10002 Given", "10003 Before Oy", "10004 B", "10005 C", "10006 D", "10007 Far"])
        // The sequence moved on with the block: the next create continues after it.
        #expect(try fixture.create("After Oy").number == 10_008)
    }

    /// Each row is checked against the rows before it, and a refused all-or-nothing import or a dry
    /// run leaves nothing, not even a sequence number.
    @Test func aRowIsCheckedAgainstEarlierRowsAndARefusedImportLeavesNothing() throws {
        let fixture = try Fixture()
        let rows = [row(2, "First", vatNumber: "FI01120389"), row(3, "Second", vatNumber: "FI01120389"),
                    row(4, "Bad mail", email: "nope")]
        for mode in [CustomerImportMode.allOrNothing, .dryRun] {
            let outcome = try run(fixture, mode, [rows])
            #expect(outcome.imported == 0 && outcome.rejectedRows == 2)
            #expect(outcome.problems.map(\.violation.field) == ["vatNumber", "email"])
        }
        #expect(try fixture.store.listCustomers(CustomerFilter(status: .all), order: .byNumber, limit: 10, pageToken: nil).customers.isEmpty)
        #expect(try fixture.create("Later Oy").number == 10_001)
    }

    /// An imported customer is written as a create writes one: with its match keys (so
    /// `findDuplicates` pairs it) and a history entry listing its values.
    @Test func anImportedCustomerGetsWhatACreateWrites() throws {
        let fixture = try Fixture()
        let created = try fixture.create("Twin Oy", email: "info@twin.fi")
        let outcome = try run(fixture, .allOrNothing, [[row(2, "Twin Oy", email: "sales@twin.fi")]])
        #expect(outcome.imported == 1)
        let pairs = try fixture.store.findDuplicates(limit: 10, pageToken: nil).pairs
        #expect(pairs.count == 1)
        let pair = try #require(pairs.first)
        #expect(pair.first.id == created.id && pair.second.name == "Twin Oy")
        let createdEntry = try #require(try fixture.store.history(.customer, id: created.id).first)
        let importedEntry = try #require(try fixture.store.history(.customer, id: pair.second.id).first)
        #expect(importedEntry.action == "created")
        #expect(importedEntry.changes.map(\.field) == createdEntry.changes.map(\.field))
        #expect(importedEntry.changes.first { $0.field == "email" }?.newValue == "sales@twin.fi")
    }

    /// Rows without children are written 64 at a time, yet what is written is what creates one
    /// after another write: the same ids, numbers, refusals, history and duplicate keys, with a
    /// VAT number repeated inside a batch, a number given that an earlier row took, and numbers
    /// given inside the run automatic numbering hands out.
    @Test func batchedRowsAreWrittenAsCreatesOneAfterAnotherWriteThem() throws {
        let rows = (0..<150).map { index -> CustomerImportRow in
            let number: Int64? = index == 100 ? 10_001 : index % 40 == 39 ? 10_060 + Int64(index) : nil
            return CustomerImportRow(line: Int64(index + 2), customer: NewCustomer(
                number: number, name: "Row \(index % 70) Oy", vatNumber: index == 5 || index == 7 ? "FI01120389" : nil,
                country: "FI", email: "office\(index)@row\(index % 50).fi", phone: "+358 (0)9 \(100_000 + index)"))
        }
        let imported = try Fixture(), created = try Fixture()
        var batches = stride(from: 0, to: rows.count, by: 30).map { Array(rows[$0..<min($0 + 30, rows.count)]) }[...]
        let outcome = try imported.store.importCustomers(mode: .continueOnError, allowDuplicateVAT: false,
                                                         by: .user(imported.admin.id)) { batches.popFirst() }
        var refused: [Int64] = []
        for row in rows {
            do {
                _ = try created.store.createCustomer(row.customer, by: .user(created.admin.id))
            } catch is StoreError {
                refused.append(row.line)
            }
        }
        #expect(refused == [9, 102])
        #expect(outcome.problems.map(\.line) == refused)
        let customers = try allPages(created.store, CustomerFilter(status: .all), order: .byNumber)
        #expect(customers.count == 148)
        #expect(try allPages(imported.store, CustomerFilter(status: .all), order: .byNumber) == customers)
        for customer in customers {
            #expect(try imported.store.history(.customer, id: customer.id) == created.store.history(.customer, id: customer.id))
        }
        #expect(try imported.store.findDuplicates(limit: 1000, pageToken: nil).pairs
            == created.store.findDuplicates(limit: 1000, pageToken: nil).pairs)
        #expect(try imported.create("After Oy") == created.create("After Oy"))
    }

    /// Rows with a head office address and a first contact are batched too, yet what is written is
    /// what `createCustomer`, `addAddress` and `createContact` one after another write: the same
    /// ids, head offices (with their version and history entry), contacts with their labels (a
    /// label named twice once), history entries and refusals (a child's field, an unknown label,
    /// labels without a contact), with rows with and without children mixed in one batch.
    @Test func rowsWithChildrenAreWrittenAsCreatesOneAfterAnotherWriteThem() throws {
        let rows = (0..<150).map { index -> CustomerImportRow in
            let hasContact = index % 4 == 0
            return CustomerImportRow(
                line: Int64(index + 2),
                customer: NewCustomer(name: "Child \(index % 70) Oy", country: "FI", email: "office\(index)@child.fi"),
                address: index % 3 == 0 || index == 34
                    ? StoredAddressFields(street1: "Katu \(index)", postalCode: "00100", city: "Helsinki",
                                          country: index == 33 ? nil : "FI")
                    : nil,
                contact: hasContact || index == 44
                    ? StoredContactFields(firstName: "First\(index)", lastName: "Last", email: "person\(index)@child.fi") : nil,
                contactKeywords: index == 44 ? ["nope"] : index % 8 == 0 ? ["vip"] : [],
                contactRoles: index % 16 == 0 || index == 50 ? ["buyer", "buyer"] : [])
        }
        let refusedLines: [Int64] = [35, 46, 52]
        let imported = try Fixture(), created = try Fixture()
        for fixture in [imported, created] {
            _ = try fixture.store.createLabel(.keyword, name: "vip")
            _ = try fixture.store.createLabel(.role, name: "buyer")
        }
        var batches = stride(from: 0, to: rows.count, by: 40).map { Array(rows[$0..<min($0 + 40, rows.count)]) }[...]
        let outcome = try imported.store.importCustomers(mode: .continueOnError, allowDuplicateVAT: false,
                                                         by: .user(imported.admin.id)) { batches.popFirst() }
        #expect(outcome.problems.map(\.line) == refusedLines)
        #expect(outcome.problems.map(\.violation.field) == ["address.country", "contact.keywords", "contact.roles"])
        let author = Author.user(created.admin.id)
        for row in rows where !refusedLines.contains(row.line) {
            let customer = try created.store.createCustomer(row.customer, by: author)
            if let address = row.address { _ = try created.store.addAddress(customerID: customer.id, address, by: author) }
            if let contact = row.contact {
                _ = try created.store.createContact(customerID: customer.id, contact, keywords: row.contactKeywords,
                                                    roles: row.contactRoles, by: author)
            }
        }
        let customers = try allPages(created.store, CustomerFilter(status: .all), order: .byNumber)
        #expect(customers.count == 147)
        #expect(try allPages(imported.store, CustomerFilter(status: .all), order: .byNumber) == customers)
        var addressCount = 0, contactCount = 0, labelled = 0
        for customer in customers {
            #expect(try imported.store.customer(id: customer.id) == created.store.customer(id: customer.id))
            #expect(try imported.store.history(.customer, id: customer.id) == created.store.history(.customer, id: customer.id))
            let addresses = try created.store.addresses(customerID: customer.id)
            #expect(try imported.store.addresses(customerID: customer.id) == addresses)
            for address in addresses {
                #expect(try imported.store.history(.address, id: address.id) == created.store.history(.address, id: address.id))
            }
            let contacts = try created.store.contacts(customerID: customer.id, includeDeactivated: true)
            #expect(try imported.store.contacts(customerID: customer.id, includeDeactivated: true) == contacts)
            for contact in contacts {
                #expect(try imported.store.history(.contact, id: contact.id) == created.store.history(.contact, id: contact.id))
                labelled += contact.keywords.count + contact.roles.count
            }
            addressCount += addresses.count
            contactCount += contacts.count
        }
        // What the comparison covered: every kind of row, head offices and labels.
        #expect(addressCount == 50 && contactCount == 37 && labelled == 29)
        #expect(try customers.filter { try imported.store.customer(id: $0.id).version == 2 }.count == 50)
        #expect(try imported.create("After Oy") == created.create("After Oy"))
    }

    /// The import drops the head office triggers inside its transaction and creates them again
    /// before it ends: afterwards the schema holds them as before, whether the import was kept,
    /// refused, a dry run or failed, and they still set a first address as the head office and
    /// refuse a new customer whose head office is another customer's address.
    @Test func theTriggersAnImportSetsAsideAreBackAfterIt() throws {
        let fixture = try Fixture()
        func triggers() throws -> [String] {
            try fixture.store.write { connection in
                try connection.withStatement("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name") {
                    statement in
                    var found: [String] = []
                    while try statement.step() { found.append(statement.text(0) + ": " + statement.text(1)) }
                    return found
                }
            }
        }
        let before = try triggers()
        for name in CustomerImportTriggers.names {
            #expect(before.contains { $0.hasPrefix(name + ": ") }, "the schema has \(name)")
        }
        let address = StoredAddressFields(street1: "Katu 1", city: "Helsinki", country: "FI")
        let kept = CustomerImportRow(line: 2, customer: NewCustomer(name: "Kept Oy", country: "FI"), address: address)
        #expect(try run(fixture, .allOrNothing, [[kept]]).imported == 1)
        #expect(try triggers() == before)
        #expect(try run(fixture, .allOrNothing, [[row(2, "Refused Oy", email: "nope")]]).imported == 0)
        #expect(try triggers() == before)
        #expect(try run(fixture, .dryRun, [[row(2, "Dry Oy")]]).rows == 1)
        #expect(try triggers() == before)
        #expect(throws: StoreError.self) {
            _ = try fixture.store.importCustomers(mode: .allOrNothing, allowDuplicateVAT: false,
                                                  by: .user(fixture.admin.id)) { throw StoreError.io("the client went away") }
        }
        #expect(try triggers() == before)
        let imported = try #require(try allPages(fixture.store, CustomerFilter(status: .all), order: .byNumber).first)
        let importedHeadOffice = try #require(try fixture.store.customer(id: imported.id).headOffice)
        let author = Author.user(fixture.admin.id)
        let customer = try fixture.store.createCustomer(NewCustomer(name: "After Oy"), by: author)
        let first = try fixture.store.addAddress(customerID: customer.id, address, by: author)
        #expect(try fixture.store.customer(id: customer.id).headOffice?.id == first.id)
        #expect(throws: (any Error).self) {
            try fixture.store.write { connection in
                try connection.run("""
                    INSERT INTO customers (number, name, name_key, search_text, created_at, created_by, updated_at,
                                           updated_by, head_office_address_id)
                    VALUES (9999, 'Foreign Oy', 'foreign oy', 'foreign oy', 0, ?, 0, ?, ?)
                    """, [.integer(fixture.admin.id), .integer(fixture.admin.id), .integer(importedHeadOffice.id)])
            }
        }
    }

    /// The import writes with foreign keys off (it checks every reference itself); the writer's
    /// connection enforces them again afterwards, whether the import was kept, refused or failed.
    @Test func foreignKeysAreEnforcedAgainAfterAnImport() throws {
        let fixture = try Fixture()
        _ = try run(fixture, .allOrNothing, [[row(2, "Kept Oy")]])
        _ = try run(fixture, .allOrNothing, [[row(2, "Refused Oy", email: "nope")]])
        #expect(throws: StoreError.self) {
            _ = try fixture.store.importCustomers(mode: .allOrNothing, allowDuplicateVAT: false,
                                                  by: .user(fixture.admin.id)) { throw StoreError.io("the client went away") }
        }
        #expect(try fixture.store.write { try $0.pragma("foreign_keys") } == "1")
        #expect(throws: (any Error).self) {
            try fixture.store.write { connection in
                try connection.run("INSERT INTO customer_match_keys (kind, key, customer_id) VALUES ('name', 'dangling', 999999)")
            }
        }
    }
}

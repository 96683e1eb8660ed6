import Foundation
import Testing
@testable import CustomerStore

@Suite struct CustomerWriteTests {
    @Test func createdCustomerHasVersionOneAndCreatorAsUpdater() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Alpha Oy")
        #expect(customer.version == 1)
        #expect(customer.active)
        #expect(customer.createdBy == fixture.admin.ref && customer.updatedBy == fixture.admin.ref)
        #expect(customer.createdAt == fixture.clock.now && customer.updatedAt == fixture.clock.now)
        #expect(try fixture.store.customer(id: customer.id) == customer)
        #expect(try fixture.store.customer(number: customer.number) == customer)
    }

    /// A create answers with the record it wrote, made from the values it bound rather than read
    /// back: every field must be what a read of the row returns, the names (users, an industry
    /// typed in another case) included.
    @Test func createdRecordIsWhatAReadReturns() throws {
        let fixture = try Fixture()
        _ = try fixture.store.createIndustry(name: "Machinery")
        let customer = try fixture.store.createCustomer(
            NewCustomer(name: "  Müller GmbH ", accountManagerID: fixture.other.id, description: "Lathes",
                        vatNumber: "de 123456789", country: "de", industry: "MACHINERY", email: "Info@Mueller.de",
                        website: "mueller.de", phone: "+49 30 123456"),
            by: .user(fixture.admin.id))
        #expect(customer.industry == "Machinery" && customer.accountManager == fixture.other.ref)
        #expect(try fixture.store.customer(id: customer.id) == customer)
    }

    @Test func numbersComeFromASequenceThatNeverReusesOne() throws {
        let fixture = try Fixture()
        #expect(try fixture.create("A").number == 10_001)
        let second = try fixture.create("B")
        #expect(second.number == 10_002)
        // A given number does not move the sequence (see CustomerNumberTests): it is skipped when reached.
        #expect(try fixture.create("Explicit", number: 20_000).number == 20_000)
        #expect(try fixture.create("Next in line", number: 10_004).number == 10_004)
        #expect(try fixture.create("C").number == 10_003)
        let last = try fixture.create("D")
        try fixture.store.deleteCustomer(id: last.id, by: .user(fixture.admin.id))
        #expect(last.number == 10_005)
        #expect(try fixture.create("E").number == 10_006)
    }

    @Test func takenNumberIsAlreadyExistsAndWritesNothing() throws {
        let fixture = try Fixture()
        let first = try fixture.create("A", number: 500)
        #expect(throws: StoreError.alreadyExists("is already taken", field: "number")) {
            try fixture.create("B", number: 500)
        }
        let second = try fixture.create("B")
        #expect(throws: StoreError.alreadyExists("is already taken", field: "number")) {
            try fixture.store.updateCustomer(id: second.id, CustomerChanges(number: first.number),
                                             expectedVersion: nil, by: .user(fixture.admin.id))
        }
        #expect(try allPages(fixture.store).map(\.name) == ["A", "B"])
        #expect(try fixture.store.customer(id: second.id).version == 1)
    }

    @Test func sameVATNumberIsRefusedUnlessIntended() throws {
        let fixture = try Fixture()
        let first = try fixture.create("Group A", vatNumber: "NO123456789")
        #expect(storeError { try fixture.create("Group B", vatNumber: "NO 123 456 789") } == .alreadyExists(
            "customer \(first.id) (number \(first.number), \"Group A\") already has this VAT number; "
                + "send allowDuplicateVat=true if both records are intended", field: "vatNumber"))
        let second = try fixture.store.createCustomer(NewCustomer(name: "Group B", vatNumber: "NO 123 456 789"),
                                                      allowDuplicateVAT: true, by: .user(fixture.admin.id))
        #expect(second.vatNumber == "NO123456789")
    }

    @Test func unknownActingUserIsFailedPrecondition() throws {
        let fixture = try Fixture()
        #expect(throws: StoreError.brokenRule("the acting user 77 does not exist", context: "checking the write's author")) {
            try fixture.store.createCustomer(NewCustomer(name: "A"), by: .user(77))
        }
    }

    @Test func partialUpdateChangesOnlyGivenFields() throws {
        let fixture = try Fixture()
        _ = try fixture.store.createIndustry(name: "Shipping")
        let original = try fixture.store.createCustomer(NewCustomer(
            name: "Beta AS", accountManagerID: fixture.admin.id, description: "Old", vatNumber: "NO999888777",
            country: "NO", industry: "Shipping", email: "post@beta.no", website: "beta.no", phone: "+47 22 00 00 00"),
            by: .user(fixture.admin.id))
        fixture.clock.advance(milliseconds: 1_500)

        let updated = try fixture.store.updateCustomer(
            id: original.id, CustomerChanges(accountManagerID: .some(fixture.other.id), description: "", email: "sales@beta.no"),
            expectedVersion: 1, by: .user(fixture.other.id))

        var expected = original
        expected.accountManager = fixture.other.ref
        expected.description = nil
        expected.email = "sales@beta.no"
        expected.version = 2
        expected.updatedAt = fixture.clock.now
        expected.updatedBy = fixture.other.ref
        #expect(updated == expected)
        #expect(try fixture.store.customer(id: original.id) == expected)

        let cleared = try fixture.store.updateCustomer(id: original.id, .clearingAccountManager(),
                                                       expectedVersion: nil, by: .user(fixture.admin.id))
        #expect(cleared.accountManager == nil && cleared.version == 3 && cleared.email == "sales@beta.no")
    }

    @Test func everyWriteMovesUpdatedAtForwardEvenWithinOneMillisecond() throws {
        let fixture = try Fixture()
        _ = try fixture.store.createIndustry(name: "IT")
        let customer = try fixture.create("Gamma")
        let first = try fixture.store.updateCustomer(id: customer.id, CustomerChanges(industry: "IT"),
                                                     expectedVersion: nil, by: .user(fixture.admin.id))
        let second = try fixture.store.setCustomerActive(id: customer.id, false, expectedVersion: 2, by: .user(fixture.other.id))
        #expect(customer.updatedAt < first.updatedAt && first.updatedAt < second.updatedAt)
        #expect(second.version == 3 && !second.active && second.updatedBy == fixture.other.ref)
        #expect(second.createdAt == customer.createdAt && second.createdBy == fixture.admin.ref)
    }

    @Test func staleVersionIsAbortedAndChangesNothing() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Delta")
        let current = try fixture.store.updateCustomer(id: customer.id, CustomerChanges(name: "Delta 2"),
                                                       expectedVersion: 1, by: .user(fixture.admin.id))
        let error = storeError {
            _ = try fixture.store.updateCustomer(id: customer.id, CustomerChanges(name: "Lost update"),
                                                 expectedVersion: 1, by: .user(fixture.other.id))
        }
        guard case .aborted(let message, "expectedVersion") = error else {
            Issue.record("expected aborted, got \(String(describing: error))")
            return
        }
        #expect(message.contains("expected version 1") && message.contains("current version is 2"))
        #expect(throws: StoreError.self) {
            try fixture.store.setCustomerActive(id: customer.id, false, expectedVersion: 1, by: .user(fixture.admin.id))
        }
        #expect(try fixture.store.customer(id: customer.id) == current)
    }

    @Test func missingCustomerIsNotFound() throws {
        let fixture = try Fixture()
        #expect(throws: StoreError.notFound("customer 9 does not exist")) { try fixture.store.customer(id: 9) }
        #expect(throws: StoreError.notFound("no customer has number 9", field: "number")) { try fixture.store.customer(number: 9) }
        #expect(throws: StoreError.notFound("customer 9 does not exist")) {
            try fixture.store.updateCustomer(id: 9, CustomerChanges(name: "X"), expectedVersion: nil, by: .user(fixture.admin.id))
        }
        #expect(throws: StoreError.notFound("customer 9 does not exist")) {
            try fixture.store.deleteCustomer(id: 9, by: .user(fixture.admin.id))
        }
    }

    @Test func deleteRemovesTheCustomer() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Epsilon")
        try fixture.store.deleteCustomer(id: customer.id, by: .user(fixture.admin.id))
        #expect(throws: StoreError.notFound("customer \(customer.id) does not exist")) {
            try fixture.store.customer(id: customer.id)
        }
    }

    @Test func foreignKeyViolationMapsToFailedPrecondition() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Zeta")
        // A user referenced as creator cannot be deleted: SQLite reports SQLITE_CONSTRAINT_FOREIGNKEY.
        let error = storeError {
            try fixture.store.write { try $0.run("DELETE FROM users WHERE id = ?", [.integer(fixture.admin.id)]) }
        }
        guard case .brokenRule = error else {
            Issue.record("expected brokenRule, got \(String(describing: error))")
            return
        }
        #expect(try fixture.store.customer(id: customer.id).createdBy == fixture.admin.ref)
    }

    @Test func bulkCreateIsAllOrNothing() throws {
        let fixture = try Fixture()
        let ids = try fixture.store.createCustomers((1...20).map { NewCustomer(name: "Bulk \($0)") }, by: .user(fixture.admin.id))
        #expect(ids.count == 20)
        let bad = [NewCustomer(name: "Fine"), NewCustomer(name: "Broken", email: "x")]
        #expect(violations { try fixture.store.createCustomers(bad, by: .user(fixture.admin.id)) }?.map(\.field) == ["email"])
        #expect(try allPages(fixture.store).count == 20)
    }

    /// An update answers with the record made from the values it bound rather than read back
    /// (as a create does): after each kind of change it must be what a read returns, the names
    /// of a new account manager and of an industry typed in another case included, and the head
    /// office it does not touch kept.
    @Test func updatedRecordIsWhatAReadReturns() throws {
        let fixture = try Fixture()
        let by = Author.user(fixture.admin.id)
        _ = try fixture.store.createIndustry(name: "Machinery")
        let created = try fixture.create("Alpha Oy", vatNumber: "FI12345671", email: "info@alpha.fi", country: "FI")
        _ = try fixture.store.addAddress(customerID: created.id, StoredAddressFields(country: "FI"), by: by)
        let changes = [
            CustomerChanges(phone: "+358 9 123 456"),
            CustomerChanges(accountManagerID: .some(fixture.other.id), industry: "MACHINERY"),
            CustomerChanges(name: "Alpha Group Oy", description: "Saws", website: "alpha.fi"),
            CustomerChanges(number: 77, email: ""),
            CustomerChanges.clearingAccountManager(),
            CustomerChanges(vatNumber: "SE556677889901", country: "SE", industry: ""),
        ]
        for change in changes {
            let updated = try fixture.store.updateCustomer(id: created.id, change, expectedVersion: nil, by: by)
            #expect(try fixture.store.customer(id: created.id) == updated, "after \(change)")
            #expect(updated.headOffice != nil)
        }
        #expect(try fixture.store.customer(id: created.id).version == created.version + 7, "the address, then six updates")
    }

    /// An update writes its duplicate keys from the values it bound, and leaves them alone when
    /// no field they are made of changed: after every update they are what computing every
    /// customer's keys afresh gives.
    @Test func updatedMatchKeysAreTheKeysOfTheStoredFields() throws {
        let fixture = try Fixture()
        let by = Author.user(fixture.admin.id)
        let customer = try fixture.create("Beta Oy", email: "sales@beta.fi", country: "FI")
        _ = try fixture.create("Gamma Ab")
        func keys() throws -> [String] {
            try fixture.store.write { connection in
                try connection.withStatement("SELECT kind, key, customer_id FROM customer_match_keys ORDER BY 3, 1, 2") {
                    var rows: [String] = []
                    while try $0.step() { rows.append("\($0.int64(2)) \($0.text(0)) \($0.text(1))") }
                    return rows
                }
            }
        }
        for change in [CustomerChanges(description: "no key field"), CustomerChanges(phone: "09 123 4567"),
                       CustomerChanges(name: "Beta Group Oy", email: "info@beta.com"), CustomerChanges(phone: "")] {
            _ = try fixture.store.updateCustomer(id: customer.id, change, expectedVersion: nil, by: by)
            let stored = try keys()
            try fixture.store.write { try CustomerStore.storeAllMatchKeys($0) }
            #expect(try keys() == stored, "after \(change)")
        }
        #expect(try keys().contains("\(customer.id) name beta group"))
    }
}

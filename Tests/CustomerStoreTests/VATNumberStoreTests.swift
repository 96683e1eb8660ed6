import TestSupport
import Foundation
import Synchronization
import Testing
@testable import CustomerStore

/// The injected VAT number rule: what it is given, when it runs, and what its refusal becomes.
@Suite struct VATNumberStoreTests {
    /// A rule that records its calls, accepts numbers that start with the country's code and
    /// refuses the others with a reason.
    final class RecordingRule: Sendable {
        struct Refusal: Error, CustomStringConvertible {
            let description: String
        }

        let calls = Mutex<[String]>([])

        var normaliser: VATNumberNormaliser {
            { [self] vatNumber, country in
                calls.withLock { $0.append("\(vatNumber)/\(country ?? "-")") }
                guard let country else { return NormalisedVATNumber(vatNumber: vatNumber, businessID: nil) }
                guard vatNumber.hasPrefix(country) else { throw Refusal(description: "not a \(country) number") }
                return NormalisedVATNumber(vatNumber: vatNumber + "OK", businessID: "ID" + vatNumber)
            }
        }
    }

    /// A store with the rule, in a directory that lives as long as the value.
    struct RuleStore {
        let directory: TemporaryDirectory
        let store: CustomerStore
        let admin: StoredUser

        init(_ rule: RecordingRule) throws {
            directory = try TemporaryDirectory()
            var options = StoreOptions()
            options.vatNormaliser = rule.normaliser
            store = try CustomerStore(path: directory.databasePath, options: options)
            admin = try store.addUser(uid: 1000, name: "alice", isAdministrator: true)
        }
    }

    @Test func creatingRunsTheRuleOnTheNormalisedNumberAndStoresItsForm() throws {
        let rule = RecordingRule()
        let fixture = try RuleStore(rule)
        let (store, admin) = (fixture.store, fixture.admin)
        let created = try store.createCustomer(NewCustomer(name: "A", vatNumber: "fi 123-4", country: "fi"), by: .user(admin.id))
        #expect(created.vatNumber == "FI1234OK")
        #expect(rule.calls.withLock { $0 } == ["FI1234/FI"])

        #expect(violations { _ = try store.createCustomer(NewCustomer(name: "B", vatNumber: "SE1234", country: "FI"),
                                                          by: .user(admin.id)) }
                == [FieldViolation(field: "vatNumber", reason: "not a FI number")])
        // A number the store's own format check refuses never reaches the rule.
        #expect(violations { _ = try store.createCustomer(NewCustomer(name: "C", vatNumber: "F!", country: "FI"),
                                                          by: .user(admin.id)) }?.map(\.field) == ["vatNumber"])
        #expect(rule.calls.withLock { $0 } == ["FI1234/FI", "SE1234/FI"])
        #expect(try allPages(store).map(\.name) == ["A"])
    }

    @Test func anUpdateRunsTheRuleOnlyWhenTheNumberOrTheCountryChanges() throws {
        let rule = RecordingRule()
        let fixture = try RuleStore(rule)
        let (store, admin) = (fixture.store, fixture.admin)
        let customer = try store.createCustomer(NewCustomer(name: "A", vatNumber: "FI1234", country: "FI"), by: .user(admin.id))
        _ = try store.updateCustomer(id: customer.id, CustomerChanges(email: "a@b.fi"), expectedVersion: nil,
                                     by: .user(admin.id))
        #expect(rule.calls.withLock { $0 } == ["FI1234/FI"])

        // The stored number (in its stored form) is re-checked for the new country.
        #expect(violations { _ = try store.updateCustomer(id: customer.id, CustomerChanges(country: "NO"),
                                                          expectedVersion: nil, by: .user(admin.id)) }
                == [FieldViolation(field: "vatNumber", reason: "not a NO number")])
        #expect(rule.calls.withLock { $0 }.last == "FI1234OK/NO")
        let moved = try store.updateCustomer(id: customer.id, CustomerChanges(vatNumber: "NO5678", country: "NO"),
                                             expectedVersion: nil, by: .user(admin.id))
        #expect(moved.vatNumber == "NO5678OK")
        let cleared = try store.updateCustomer(id: customer.id, CustomerChanges(country: ""), expectedVersion: nil,
                                               by: .user(admin.id))
        #expect(rule.calls.withLock { $0 }.last == "NO5678OK/-")
        #expect(cleared.vatNumber == "NO5678OK")
    }

    @Test func theDuplicateLookupUsesTheVATNumberIndex() throws {
        let fixture = try Fixture()
        let plan = try fixture.store.write { connection in
            try connection.withStatement("EXPLAIN QUERY PLAN SELECT id FROM customers WHERE vat_number = ? AND id IS NOT ?") {
                statement in
                try statement.bind([.text("FI01120389"), .null])
                var details: [String] = []
                while try statement.step() { details.append(statement.text(3)) }
                return details
            }
        }
        #expect(plan.contains { $0.contains("customers_by_vat_number") }, "\(plan)")
    }
}

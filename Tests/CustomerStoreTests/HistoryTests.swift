import Foundation
import Testing
@testable import CustomerStore

@Suite struct HistoryTests {
    /// An entry as "action field:old>new,..." for compact comparisons.
    private static func summary(_ entries: [StoredHistoryEntry]) -> [String] {
        entries.map { entry in
            ([entry.action] + entry.changes.map { "\($0.field):\($0.oldValue ?? "-")>\($0.newValue ?? "-")" })
                .joined(separator: " ")
        }
    }

    @Test func customerWritesAreRecordedWithChangedFieldsOnly() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try store.createCustomer(NewCustomer(name: "Alpha", email: "a@alpha.fi"), by: .user(fixture.admin.id))
        fixture.clock.advance(milliseconds: 10)
        _ = try store.updateCustomer(id: customer.id, CustomerChanges(name: "Alpha Oy", accountManagerID: .some(fixture.other.id),
                                                                      email: "a@alpha.fi", phone: "+358 9 1234"),
                                     expectedVersion: nil, by: .user(fixture.other.id))
        _ = try store.setCustomerActive(id: customer.id, false, expectedVersion: nil, by: .user(fixture.admin.id))
        _ = try store.setCustomerActive(id: customer.id, true, expectedVersion: nil, by: .user(fixture.admin.id))
        let first = try store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI"), by: .user(fixture.admin.id))
        let second = try store.addAddress(customerID: customer.id, StoredAddressFields(country: "FI"), by: .user(fixture.admin.id))
        _ = try store.setHeadOffice(addressID: second.id, by: .user(fixture.admin.id))
        // A created entry lists the values the record was created with (the change feed's event carries them).
        #expect(Self.summary(try store.history(.customer, id: customer.id)) == [
            "created number:->\(customer.number) name:->Alpha email:->a@alpha.fi",
            "updated name:Alpha>Alpha Oy accountManager:->bob phone:->+358 9 1234",
            "deactivated active:true>false",
            "activated active:false>true",
            "headOfficeSet headOffice:->\(first.id)",
            "headOfficeSet headOffice:\(first.id)>\(second.id)",
        ])
        try store.deleteCustomer(id: customer.id, by: .user(fixture.other.id))

        // The deletion erased the values; the entries, their fields and authors stay.
        let history = try store.history(.customer, id: customer.id)
        #expect(Self.summary(history) == [
            "created number:->- name:->- email:->-",
            "updated name:->- accountManager:->- phone:->-",
            "deactivated active:->-",
            "activated active:->-",
            "headOfficeSet headOffice:->-",
            "headOfficeSet headOffice:->-",
            "deleted",
        ])
        #expect(history.flatMap(\.changes).allSatisfy { $0.erased })
        #expect(history.map(\.by.name) == ["alice", "bob", "alice", "alice", "alice", "alice", "bob"])
        #expect(history[1].at == fixture.clock.now && history[0].at < history[1].at)
        #expect(history.allSatisfy { $0.customerID == customer.id && $0.entity == .customer && $0.contact == nil })
        #expect(history.map(\.id) == history.map(\.id).sorted())
    }

    @Test func addressWritesAreRecorded() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Beta")
        let address = try fixture.store.addAddress(customerID: customer.id, StoredAddressFields(street1: "Road 1", city: "Oslo",
                                                                                            country: "NO"), by: .user(fixture.admin.id))
        _ = try fixture.store.updateAddress(id: address.id, StoredAddressFields(street1: "Road 2", city: "Oslo", kind: .billing),
                                            expectedVersion: nil, by: .user(fixture.admin.id))
        try fixture.store.removeAddress(id: address.id, by: .user(fixture.admin.id))
        #expect(Self.summary(try fixture.store.history(.address, id: address.id)) == [
            "created street1:->Road 1 city:->Oslo country:->NO kind:->visiting",
            "updated street1:Road 1>Road 2 kind:visiting>billing", "deleted",
        ])
        #expect(Self.summary(try fixture.store.history(.customer, id: customer.id)).suffix(1) == [
            "headOfficeSet headOffice:\(address.id)>-",
        ])
    }

    @Test func contactWritesAreRecordedWithTheContactReference() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Gamma")
        _ = try store.createLabel(.keyword, name: "a")
        _ = try store.createLabel(.keyword, name: "b")
        let contact = try store.createContact(customerID: customer.id, StoredContactFields(firstName: "Eva", lastName: "Lind"),
                                              keywords: ["a"], roles: [], by: .user(fixture.admin.id))
        _ = try store.updateContact(id: contact.id, StoredContactFields(firstName: "Eva", title: "CFO"), expectedVersion: nil,
                                    by: .user(fixture.admin.id))
        _ = try store.setContactActive(id: contact.id, false, expectedVersion: nil, by: .user(fixture.admin.id))
        _ = try store.setContactActive(id: contact.id, true, expectedVersion: nil, by: .user(fixture.admin.id))
        _ = try store.tagContact(id: contact.id, keywords: ["b"], roles: [], by: .user(fixture.admin.id))
        _ = try store.untagContact(id: contact.id, keywords: ["a"], roles: [], by: .user(fixture.admin.id))
        let history = try store.history(.contact, id: contact.id)
        #expect(Self.summary(history) == [
            "created firstName:->Eva lastName:->Lind", "updated title:->CFO", "deactivated active:true>false", "activated active:false>true",
            "tagged keywords:a>a, b", "untagged keywords:a, b>b",
        ])
        #expect(history.allSatisfy { $0.contact == StoredContactRef(id: contact.id, name: "Eva Lind", deleted: false) })
    }

    @Test func bulkCreateRecordsOneEntryPerCustomerAndUnknownRecordsAreNotFound() throws {
        let fixture = try Fixture()
        let ids = try fixture.store.createCustomers((1...5).map { NewCustomer(name: "Bulk \($0)") }, by: .user(fixture.admin.id))
        for id in ids {
            #expect(try fixture.store.history(.customer, id: id).map(\.action) == ["created"])
        }
        #expect(try fixture.rawCount("SELECT count(*) FROM history") == 5)
        for entity in HistoryEntity.allCases {
            #expect(throws: StoreError.notFound("\(entity.rawValue) 999 does not exist")) {
                try fixture.store.history(entity, id: 999)
            }
        }
    }

    @Test func aRefusedWriteLeavesNoHistory() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Delta")
        #expect(violations {
            _ = try fixture.store.updateCustomer(id: customer.id, CustomerChanges(email: "bad"), expectedVersion: nil,
                                                 by: .user(fixture.admin.id))
        } != nil)
        #expect(try fixture.store.history(.customer, id: customer.id).map(\.action) == ["created"])
    }
}

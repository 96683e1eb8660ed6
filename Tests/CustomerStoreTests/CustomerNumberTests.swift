import Foundation
import Testing
@testable import CustomerStore

/// Customer numbers: a documented range, and automatic numbering nobody can block (issue 12).
@Suite struct CustomerNumberTests {
    @Test func aNumberOutsideTheRangeIsRefusedNamingTheField() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Range Oy")
        for number: Int64 in [0, -1, 10_000_000_000, .max, .min] {
            #expect(violations { try fixture.create("Out Oy", number: number) }
                    == [FieldViolation(field: "number", reason: CustomerNumber.rangeReason)], "\(number)")
            #expect(violations {
                _ = try fixture.store.updateCustomer(id: customer.id, CustomerChanges(number: number), expectedVersion: nil,
                                                     by: .user(fixture.admin.id))
            }?.map(\.field) == ["number"], "\(number)")
        }
        #expect(try fixture.store.customer(id: customer.id) == customer)
        #expect(try fixture.create("Lowest Oy", number: 1).number == 1)
        #expect(try fixture.create("Highest Oy", number: 9_999_999_999).number == 9_999_999_999)
    }

    /// The highest number someone can give no longer blocks creates without a number; neither do
    /// the numbers just above the sequence, which it skips.
    @Test func givenNumbersNeverBlockAutomaticNumbering() throws {
        let fixture = try Fixture()
        #expect(try fixture.create("First Oy").number == 10_001)
        _ = try fixture.create("Highest Oy", number: CustomerNumber.range.upperBound)
        _ = try fixture.create("Next in line Oy", number: 10_002)
        #expect(try fixture.create("Second Oy").number == 10_003)
        #expect(try fixture.create("Third Oy").number == 10_004)
    }

    @Test func theNumbersOfDeletedAndRenumberedCustomersAreNeverHandedOutAgain() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let admin = Author.user(fixture.admin.id)
        let deleted = try fixture.create("Deleted Oy", number: 10_001)
        let renumbered = try fixture.create("Renumbered Oy", number: 10_002)
        try store.deleteCustomer(id: deleted.id, by: admin)
        _ = try store.updateCustomer(id: renumbered.id, CustomerChanges(number: 20_000), expectedVersion: nil, by: admin)
        #expect(try fixture.create("New Oy").number == 10_003)
    }
}

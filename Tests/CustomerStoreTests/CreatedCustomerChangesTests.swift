@testable import CustomerStore
import Testing

@Suite struct CreatedCustomerChangesTests {
    private static let everyField = StoredCustomerFields(
        number: nil, name: "Ääkkönen Öy", accountManagerID: 7, description: "line 1\nline 2: n4:name", vatNumber: "FI02503453",
        businessID: "0250345-3", country: "FI", industry: "Consulting", email: "office@example.fi", website: "https://example.fi",
        phone: "+358 9 123")
    private static let nameOnly = StoredCustomerFields(name: "Solo Oy")

    /// What an import writes for a created customer in two steps, and what a create writes
    /// (`appendCreatedEntry`, the same text), is byte for byte the encoding of the record's values as changes from
    /// nothing (`HistoryLog.creation(record.historyValues)`, what an update's entry compares): the
    /// same fields in the same order, empty ones left out, the writer's number and names in their places.
    @Test(arguments: [
        (everyField, CustomerStore.CheckedNames(accountManager: StoredUserRef(id: 7, name: "Maija Meikäläinen"),
                                                industry: "consulting", author: "importer")),
        (everyField, CustomerStore.CheckedNames(author: "importer")),
        (nameOnly, CustomerStore.CheckedNames(industry: "Retail", author: "importer")),
        (nameOnly, CustomerStore.CheckedNames(author: "importer")),
    ])
    func theTextIsTheCreatedEntrysChanges(fields: StoredCustomerFields, names: CustomerStore.CheckedNames) {
        let author = Author(userID: 1, source: "import")
        for number: Int64 in [1, 9, 10, 10_042, 9_999_999, Int64.max] {
            let record = CustomerStore.createdRecord(id: 3, fields, number: number, names: names, at: 1_000, by: author)
            let expected = HistoryChangesText.encode(HistoryLog.creation(record.historyValues))
            #expect(CreatedCustomerChanges(fields).text(number: number, names: names) == expected)
        }
    }
}

/// A new customer's history changes (what `CustomerStore.appendCreatedEntry` records) made in two
/// steps: the parts that come from its checked fields before the writer takes it
/// (`PreparedCustomer`: on a create's connection thread, beside an import's writer), then, by the
/// writer, the parts only it knows: the number and the account manager's and industry's names as stored.
///
/// Why: the writer bounds an import's rate (issue 17) and the creates' (issue 15); building the
/// record, its values and their changes and encoding them there cost each row ~10 % of the
/// writer's instructions (callgrind).
/// The text is the one `HistoryChangesText.encode(HistoryLog.creation(record.historyValues))`
/// makes (`CreatedCustomerChangesTests` holds the two together, field order included).
struct CreatedCustomerChanges: Sendable {
    /// The encoded changes between the writer's parts, in `StoredCustomer.historyValues` order.
    private let name: [UInt8]
    private let description: [UInt8]
    private let contacts: [UInt8]

    init(_ fields: StoredCustomerFields) {
        var name: [UInt8] = []
        HistoryChangesText.appendCreated("name", fields.name, to: &name)
        self.name = name
        var description: [UInt8] = []
        HistoryChangesText.appendCreated("description", fields.description, to: &description)
        HistoryChangesText.appendCreated("vatNumber", fields.vatNumber, to: &description)
        HistoryChangesText.appendCreated("country", fields.country, to: &description)
        self.description = description
        var contacts: [UInt8] = []
        HistoryChangesText.appendCreated("email", fields.email, to: &contacts)
        HistoryChangesText.appendCreated("website", fields.website, to: &contacts)
        HistoryChangesText.appendCreated("phone", fields.phone, to: &contacts)
        HistoryChangesText.appendCreated("businessId", fields.businessID, to: &contacts)
        self.contacts = contacts
    }

    /// The `history.changes` text of the customer created with `number` and the checks' `names`.
    func text(number: Int64, names: CustomerStore.CheckedNames) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.count + description.count + contacts.count + 64)
        append(number: number, names: names, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text(number:names:)`'s bytes appended to `bytes` (a group's creates write theirs into
    /// the batch's buffer, `BoundRows.appendText`).
    func append(number: Int64, names: CustomerStore.CheckedNames, to bytes: inout [UInt8]) {
        HistoryChangesText.appendCreated("number", number, to: &bytes)
        bytes += name
        HistoryChangesText.appendCreated("accountManager", names.accountManager?.name, to: &bytes)
        bytes += description
        HistoryChangesText.appendCreated("industry", names.industry, to: &bytes)
        bytes += contacts
    }
}

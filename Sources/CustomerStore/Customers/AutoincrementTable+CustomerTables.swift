import SQLiteEngine

/// The tables whose ids a group of creates or an import gives itself (`CustomerCreateBatch`,
/// `CustomerImporter`), each with its next-id query made once.
extension AutoincrementTable {
    static let customers = AutoincrementTable("customers")
    static let addresses = AutoincrementTable("addresses")
    static let contacts = AutoincrementTable("contacts")
}

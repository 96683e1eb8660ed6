/// An entry of the managed list of industries, with the number of customers in it.
public struct StoredIndustry: Sendable, Hashable {
    public var id: Int64
    /// Unique, compared ignoring case in every script (`UniqueName.fold`), 1-100 characters.
    public var name: String
    public var customerCount: Int64

    public init(id: Int64, name: String, customerCount: Int64) {
        self.id = id
        self.name = name
        self.customerCount = customerCount
    }
}

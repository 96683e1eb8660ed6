/// The input of `createCustomer`. `nil` means "not given"; text is trimmed and validated.
public struct NewCustomer: Sendable, Hashable {
    /// `nil`: the next number from the sequence.
    public var number: Int64?
    public var name: String
    public var accountManagerID: Int64?
    public var description: String?
    public var vatNumber: String?
    public var country: String?
    public var industry: String?
    public var email: String?
    public var website: String?
    public var phone: String?

    public init(number: Int64? = nil, name: String, accountManagerID: Int64? = nil,
                description: String? = nil, vatNumber: String? = nil, country: String? = nil,
                industry: String? = nil, email: String? = nil, website: String? = nil, phone: String? = nil) {
        self.number = number
        self.name = name
        self.accountManagerID = accountManagerID
        self.description = description
        self.vatNumber = vatNumber
        self.country = country
        self.industry = industry
        self.email = email
        self.website = website
        self.phone = phone
    }
}

/// The input of `updateCustomer`: `nil` leaves a field unchanged; an empty (or blank) string
/// clears an optional text field. The name cannot be cleared.
public struct CustomerChanges: Sendable, Hashable {
    public var number: Int64?
    public var name: String?
    /// `nil`: unchanged; `.some(nil)`: clear the account manager; `.some(id)`: set it.
    public var accountManagerID: Int64??
    public var description: String?
    public var vatNumber: String?
    public var country: String?
    public var industry: String?
    public var email: String?
    public var website: String?
    public var phone: String?

    public init(number: Int64? = nil, name: String? = nil, accountManagerID: Int64?? = nil,
                description: String? = nil, vatNumber: String? = nil, country: String? = nil,
                industry: String? = nil, email: String? = nil, website: String? = nil, phone: String? = nil) {
        self.number = number
        self.name = name
        self.accountManagerID = accountManagerID
        self.description = description
        self.vatNumber = vatNumber
        self.country = country
        self.industry = industry
        self.email = email
        self.website = website
        self.phone = phone
    }

    /// Changes that clear the account manager (spelled out because `Int64??` is easy to misread).
    public static func clearingAccountManager() -> CustomerChanges {
        CustomerChanges(accountManagerID: .some(nil))
    }
}

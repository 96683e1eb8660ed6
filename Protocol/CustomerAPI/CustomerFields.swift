/// The editable fields of a customer, shared by create and update requests.
///
/// `nil` means "not given". In an update an empty string clears an optional field
/// (the name cannot be cleared). The account manager is named by user name. A `number` must be
/// 1 to 9999999999 (else INVALID_ARGUMENT on `number`); without one, a create takes the next
/// number of the sequence, which skips numbers people gave and never reuses a deleted or
/// changed customer's number.
public struct CustomerFields: Codable, Sendable, Hashable {
    public var number: Int64?
    public var name: String?
    public var accountManager: String?
    public var description: String?
    /// Any spelling people paste (spaces of every kind, dashes, dots, full-width digits, with or
    /// without the country prefix), checked by the rule of `country`, or without a country by
    /// the rule of the number's own prefix (`FI 20774740`); with neither it is refused. A bare
    /// Norwegian organisation number is kept as the customer's `businessId`, not as a VAT number.
    public var vatNumber: String?
    public var country: String?
    public var industry: String?
    public var email: String?
    public var website: String?
    public var phone: String?

    public init(
        number: Int64? = nil, name: String? = nil, accountManager: String? = nil, description: String? = nil,
        vatNumber: String? = nil, country: String? = nil, industry: String? = nil, email: String? = nil,
        website: String? = nil, phone: String? = nil
    ) {
        self.number = number
        self.name = name
        self.accountManager = accountManager
        self.description = description
        self.vatNumber = vatNumber
        self.country = country
        self.industry = industry
        self.email = email
        self.website = website
        self.phone = phone
    }

    /// True when no field is given: an update that would change nothing.
    public var isEmpty: Bool { self == CustomerFields() }

    enum CodingKeys: Int, CodingKey {
        case number = 1, name = 2, accountManager = 3, description = 4, vatNumber = 5, country = 6
        case industry = 7, email = 8, website = 9, phone = 10
    }
}

import SQLiteEngine

/// The stored columns of an address after validation and normalisation.
struct AddressColumns: Sendable, Hashable {
    /// Packed: 0-3 non-empty lines.
    var street: [String]
    var postalCode: String?
    var city: String?
    var region: String?
    var country: String
    var kind: AddressKind

    /// Street line `index` (0-based), nil when there are fewer lines.
    func line(_ index: Int) -> String? {
        street.indices.contains(index) ? street[index] : nil
    }

    /// The bound values of `street1` ... `kind`, in table order.
    var values: [SQLValue] {
        (0..<3).map { SQLValue(line($0)) } + [SQLValue(postalCode), SQLValue(city), SQLValue(region), .text(country),
                                               .text(kind.rawValue)]
    }
}

/// The one place address input is checked; reports every violation at once with API field names.
enum AddressValidator {
    static let maxStreet = 200
    static let maxPostalCode = 20
    static let maxCity = 100
    static let maxRegion = 100

    /// Validates `fields` on top of `current` (nil for a new address, where the country is required).
    static func validate(_ fields: StoredAddressFields, onto current: StoredAddress?) -> (AddressColumns, [FieldViolation]) {
        var violations: [FieldViolation] = []
        let currentStreet = current?.street ?? []
        var street: [String?] = (0..<3).map { currentStreet.indices.contains($0) ? currentStreet[$0] : nil }
        var postalCode = current?.postalCode
        var city = current?.city
        var region = current?.region
        var country = current?.country
        let streetInputs = [fields.street1, fields.street2, fields.street3]
        for line in 0..<3 {
            let field = "street\(line + 1)"
            CustomerValidator.normalise(streetInputs[line], field: field, maxLength: maxStreet,
                                        &street[line], &violations)
        }
        CustomerValidator.normalise(fields.postalCode, field: "postalCode", maxLength: maxPostalCode,
                                    &postalCode, &violations)
        CustomerValidator.normalise(fields.city, field: "city", maxLength: maxCity, &city, &violations)
        CustomerValidator.normalise(fields.region, field: "region", maxLength: maxRegion,
                                    &region, &violations)
        let before = violations.count
        CustomerValidator.normalise(fields.country, field: "country", CustomerValidator.country, &country, &violations)
        if country == nil, violations.count == before {
            violations.append(FieldViolation(field: "country", reason: "is required (an ISO 3166-1 alpha-2 code)"))
        }
        let columns = AddressColumns(street: street.compactMap { $0 }, postalCode: postalCode, city: city,
                                     region: region, country: country ?? "",
                                     kind: fields.kind ?? current?.kind ?? .visiting)
        return (columns, violations)
    }
}

extension AddressColumns {
    /// The columns of a stored address.
    init(_ address: StoredAddress) {
        self.init(street: address.street, postalCode: address.postalCode, city: address.city, region: address.region,
                  country: address.country, kind: address.kind)
    }

    /// The fields the history compares, by API name, as text.
    var historyValues: HistoryLog.Values {
        [("street1", line(0)), ("street2", line(1)), ("street3", line(2)), ("postalCode", postalCode),
         ("city", city), ("region", region), ("country", country), ("kind", kind.rawValue)]
    }
}

/// A stored customer checked again by the rules its input was checked by, for the fuzz targets
/// that write through other paths (a registry refresh): what the store holds must be what a
/// create would accept and keep as it is.
@_spi(Fuzzing) extension StoredCustomer {
    /// What the customer and address validators refuse in the stored customer and its head office,
    /// each field they would store differently (normalising must leave a stored value alone), and a
    /// control character in the registry's status.
    public var violationsOfTheStoreRules: [FieldViolation] {
        let (fields, violations) = CustomerValidator.validate(NewCustomer(
            number: number, name: name, accountManagerID: accountManager?.id, description: description,
            vatNumber: vatNumber, country: country, industry: industry, email: email, website: website, phone: phone))
        var found = violations
        let stored = [("name", name), ("description", description), ("vatNumber", vatNumber), ("country", country),
                      ("industry", industry), ("email", email), ("website", website), ("phone", phone)]
        let normalised = [fields.name, fields.description, fields.vatNumber, fields.country, fields.industry,
                          fields.email, fields.website, fields.phone]
        for ((field, value), again) in zip(stored, normalised) where value != again {
            found.append(FieldViolation(
                field: field, reason: "stored as \(String(describing: value)), normalised to \(String(describing: again))"))
        }
        // The registry's word is stored as given, but as every stored text: one line, no control character.
        if let status = registryStatus,
           let violation = TextInput.controlViolation(in: status, field: "registryStatus", lines: .single) {
            found.append(violation)
        }
        guard let office = headOffice else { return found }
        let street = office.street
        let (columns, addressViolations) = AddressValidator.validate(StoredAddressFields(
            street1: street.first, street2: street.dropFirst().first, street3: street.dropFirst(2).first,
            postalCode: office.postalCode, city: office.city, region: office.region, country: office.country,
            kind: office.kind), onto: nil)
        found += addressViolations.map { FieldViolation(field: "headOffice.\($0.field)", reason: $0.reason) }
        if street.count > 3 || columns.street != street || columns.postalCode != office.postalCode
            || columns.city != office.city || columns.country != office.country {
            found.append(FieldViolation(field: "headOffice", reason: "stored as \(office), normalised to \(columns)"))
        }
        return found
    }
}

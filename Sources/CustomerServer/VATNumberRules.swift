import BusinessIdentifiers
import CustomerStore

/// The country rules of BusinessIdentifiers, in the shape the store runs inside its write
/// transactions (see `VATNumberNormaliser` for why the store gets them injected).
enum VATNumberRules {
    /// The canonical form for `country` (`fi 0112-038.9` → `FI01120389`), checked where the
    /// country has a rule, with the business id it names. Without a country the number's prefix
    /// chooses the rule (`FI 20774740`); with neither it is refused, asking for one. A bare
    /// Norwegian organisation number is kept as the business id only: it asserts no VAT
    /// registration. Throws `VATNumberError`, whose description is the reason the caller sees.
    static let normaliser: VATNumberNormaliser = { vatNumber, country in
        let parsed = try VATNumber.parse(vatNumber, country: country)
        return NormalisedVATNumber(vatNumber: parsed.isBareOrganisationNumber ? nil : parsed.canonical,
                                   businessID: parsed.businessID)
    }
}

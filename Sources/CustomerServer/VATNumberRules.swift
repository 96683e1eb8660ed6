import BusinessIdentifiers
import CustomerStore

/// The country rules of BusinessIdentifiers, in the shape the store runs inside its write
/// transactions (see `VATNumberNormaliser` for why the store gets them injected).
enum VATNumberRules {
    /// The canonical form for `country` (`fi 0112-038.9` → `FI01120389`), checked where the
    /// country has a rule; a number without a country is kept as the store normalised it.
    /// Throws `VATNumberError`, whose description is the reason the caller sees.
    static let normaliser: VATNumberNormaliser = { vatNumber, country in
        guard let country else { return vatNumber }
        return try VATNumber.parse(vatNumber, country: country).canonical
    }
}

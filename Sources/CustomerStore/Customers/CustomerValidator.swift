import Foundation

/// The writable fields of a customer after validation and normalisation.
struct StoredCustomerFields: Sendable, Hashable {
    /// `nil` only before a number was assigned from the sequence.
    var number: Int64?
    var name: String
    var accountManagerID: Int64?
    var description: String?
    var vatNumber: String?
    /// Derived from the VAT number by the injected rule (never typed on its own).
    var businessID: String?
    var country: String?
    var industry: String?
    var email: String?
    var website: String?
    var phone: String?
}

/// The one place customer input is checked. It reports every violation at once, naming fields as
/// the API does, and returns normalised values (trimmed, upper-cased VAT and country, https added).
enum CustomerValidator {
    static let maxName = 200
    static let maxDescription = 4_000
    static let maxIndustry = 100
    static let maxEmail = 254
    static let maxWebsite = 2_048
    /// The longest VAT number or phone number taken as sent, separators included: their rules
    /// count only letters and digits (20 at most) and drop any number of spaces, dashes and dots,
    /// so a raw length is no part of the rule, but NFKC-folding a 4 MB VAT number cost 0.6 s of
    /// CPU before the rule was checked (gaps28b). 1 024 leaves 50 separators for each character
    /// that counts.
    static let maxSeparatedRaw = 1_024

    /// The early length check of a field (before composing, ``TextInput/cannotFit(_:in:)``): the
    /// most code points a trimmed value may have before composing, and the answer the field's rule
    /// gives a value past it.
    struct EarlyLimit {
        var maxUncomposed: Int
        var tooLong: FieldViolation

        /// For a rule that refuses every value over `maxLength` code points composed.
        init(composedAtMost maxLength: Int, tooLong: FieldViolation) {
            self.init(maxUncomposed: TextInput.mostUncomposed(fitting: maxLength), tooLong: tooLong)
        }

        init(maxUncomposed: Int, tooLong: FieldViolation) {
            self.maxUncomposed = maxUncomposed
            self.tooLong = tooLong
        }
    }

    /// An e-mail address counts at most 254 bytes composed, so at most as many code points.
    static func emailLimit(_ field: String = "email") -> EarlyLimit {
        EarlyLimit(composedAtMost: maxEmail, tooLong: FieldViolation(field: field, reason: "must be at most \(maxEmail) bytes"))
    }

    /// A website counts at most 2 048 code points composed; longer is refused as no address.
    static func websiteLimit(_ field: String = "website") -> EarlyLimit {
        EarlyLimit(composedAtMost: maxWebsite, tooLong: websiteInvalid(field))
    }

    /// A VAT number or a phone number of more than ``maxSeparatedRaw`` code points, trimmed.
    static func separatedLimit(_ field: String) -> EarlyLimit {
        EarlyLimit(maxUncomposed: maxSeparatedRaw,
                   tooLong: FieldViolation(field: field,
                                           reason: "must be at most \(maxSeparatedRaw) characters, separators included"))
    }

    /// Validates a new customer. The store adds the checks that need the database (account
    /// manager exists) before it refuses the call with all violations together.
    static func validate(_ new: NewCustomer) -> (StoredCustomerFields, [FieldViolation]) {
        var violations: [FieldViolation] = []
        var fields = StoredCustomerFields(number: new.number, name: "", accountManagerID: new.accountManagerID)
        if let number = new.number { check(number: number, into: &violations) }
        fields.name = name(new.name, into: &violations)
        apply(optionalText: OptionalText(description: new.description, vatNumber: new.vatNumber,
                                         country: new.country, industry: new.industry, email: new.email,
                                         website: new.website, phone: new.phone),
              to: &fields, into: &violations)
        return (fields, violations)
    }

    /// Applies and validates changes on top of the current fields.
    static func apply(_ changes: CustomerChanges, to current: StoredCustomerFields) -> (StoredCustomerFields, [FieldViolation]) {
        var violations: [FieldViolation] = []
        var fields = current
        if let number = changes.number {
            check(number: number, into: &violations)
            fields.number = number
        }
        if let newName = changes.name { fields.name = name(newName, into: &violations) }
        if let manager = changes.accountManagerID { fields.accountManagerID = manager }
        apply(optionalText: OptionalText(description: changes.description, vatNumber: changes.vatNumber,
                                         country: changes.country, industry: changes.industry, email: changes.email,
                                         website: changes.website, phone: changes.phone),
              to: &fields, into: &violations)
        return (fields, violations)
    }

    /// A rule's outcome: the normalised value or why it was refused.
    enum Checked: Equatable {
        case success(String)
        case failure(FieldViolation)
    }

    /// The optional text inputs shared by creation and update (`nil` = not given).
    private struct OptionalText {
        var description, vatNumber, country, industry, email, website, phone: String?
    }

    /// Normalises each given optional field; a blank input clears it.
    private static func apply(optionalText input: OptionalText, to fields: inout StoredCustomerFields,
                              into violations: inout [FieldViolation]) {
        normalise(input.description, field: "description", maxLength: maxDescription, lines: .multiple,
                  &fields.description, &violations)
        normalise(input.vatNumber, field: "vatNumber", early: separatedLimit("vatNumber"), vatNumber,
                  &fields.vatNumber, &violations)
        normalise(input.country, field: "country", country, &fields.country, &violations)
        normalise(input.industry, field: "industry", maxLength: maxIndustry, &fields.industry, &violations)
        normalise(input.email, field: "email", early: emailLimit(), email, &fields.email, &violations)
        normalise(input.website, field: "website", early: websiteLimit(), website, &fields.website, &violations)
        normalise(input.phone, field: "phone", early: separatedLimit("phone"), phone, &fields.phone, &violations)
    }

    /// Applies one optional text input: `nil` leaves `target` alone, a blank input clears it,
    /// anything else is trimmed, screened for control characters (`TextInput`) and checked by
    /// `rule` (a refusal is added to `violations`). Shared by every validator of the store, so all
    /// fields follow the same convention. `maxLength`: the rule refuses every value longer, as
    /// ``TextInput/atMost(_:field:)``, so a text too long whatever composing joins is refused so
    /// before it is composed (``TextInput/cannotFit(_:in:)``); `early` does the same for a rule
    /// that is more than a length, with its own answer.
    static func normalise(_ raw: String?, field: String, lines: TextInput.Lines = .single, maxLength: Int? = nil,
                          early: EarlyLimit? = nil,
                          _ rule: (String) -> Checked, _ target: inout String?, _ violations: inout [FieldViolation]) {
        guard let raw else { return }
        let uncomposed = raw.trimmingWhitespace()
        if uncomposed.isEmpty {
            target = nil
            return
        }
        let early = early ?? maxLength.map { EarlyLimit(composedAtMost: $0, tooLong: TextInput.tooLong($0, field: field)) }
        if let early, TextInput.length(uncomposed) > early.maxUncomposed {
            // Composing moves no control character: the refusal composing would lead to.
            violations.append(TextInput.controlViolation(in: uncomposed, field: field, lines: lines) ?? early.tooLong)
            return
        }
        let trimmed = TextInput.composed(uncomposed)
        if let violation = TextInput.controlViolation(in: trimmed, field: field, lines: lines) {
            violations.append(violation)
            return
        }
        switch rule(trimmed) {
        case .success(let value): target = value
        case .failure(let violation): violations.append(violation)
        }
    }

    /// `normalise` with a rule that names the field itself (`CalendarText.day`, `CurrencyCodes.check`, ...).
    static func normalise(_ raw: String?, field: String, early: EarlyLimit? = nil,
                          _ rule: (_ value: String, _ field: String) -> Checked,
                          _ target: inout String?, _ violations: inout [FieldViolation]) {
        normalise(raw, field: field, early: early, { rule($0, field) }, &target, &violations)
    }

    /// `normalise` for free text whose only rule is its length: at most `maxLength` characters.
    static func normalise(_ raw: String?, field: String, maxLength: Int, lines: TextInput.Lines = .single,
                          _ target: inout String?, _ violations: inout [FieldViolation]) {
        normalise(raw, field: field, lines: lines, maxLength: maxLength, TextInput.atMost(maxLength, field: field),
                  &target, &violations)
    }

    // MARK: Rules

    private static func check(number: Int64, into violations: inout [FieldViolation]) {
        if !CustomerNumber.range.contains(number) {
            violations.append(FieldViolation(field: "number", reason: CustomerNumber.rangeReason))
        }
    }

    private static func name(_ raw: String, into violations: inout [FieldViolation]) -> String {
        let (trimmed, violation) = TextInput.required(raw, field: "name", maxLength: maxName)
        if let violation { violations.append(violation) }
        return trimmed
    }

    /// Upper case letters and digits only, 4-20 of them, after the folding of `IdentifierText`.
    static func vatNumber(_ value: String) -> Checked {
        let compact = IdentifierText.compact(value)
        let allowed = compact.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        guard allowed, (4...20).contains(compact.unicodeScalars.count) else {
            return .failure(FieldViolation(field: "vatNumber",
                                           reason: "must be 4 to 20 letters A-Z and digits (\(IdentifierText.ignored))"))
        }
        return .success(compact)
    }

    static func country(_ value: String) -> Checked {
        let code = value.uppercased()
        guard CountryCodes.assigned.contains(code) else {
            return .failure(FieldViolation(field: "country", reason: "must be an assigned ISO 3166-1 alpha-2 code"))
        }
        return .success(code)
    }

    static func email(_ value: String) -> Checked {
        let invalid = Checked.failure(
            FieldViolation(field: "email", reason: "must be an address like name@example.com"))
        guard value.utf8.count <= maxEmail else {
            return .failure(FieldViolation(field: "email", reason: "must be at most \(maxEmail) bytes"))
        }
        guard !value.containsWhitespace else {
            return invalid
        }
        return (asciiAddressShape(value) ?? addressShape(value)) ? .success(value) : invalid
    }

    /// One `@` after a non-empty local part, then a domain of at least two non-empty labels.
    private static func addressShape(_ value: String) -> Bool {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty }
    }

    /// `addressShape` in one pass over the bytes of ASCII text (nil for other text, whose
    /// characters may join a combining mark to `@` or `.`): splitting into substrings cost an
    /// import row more than all its other checks (callgrind, issue 17).
    private static func asciiAddressShape(_ value: String) -> Bool? {
        var ats = 0, localLength = 0, labels = 0, labelLength = 0, emptyLabel = false
        for byte in value.utf8 {
            if byte >= 0x80 { return nil }
            if byte == UInt8(ascii: "@") {
                ats += 1
            } else if ats == 0 {
                localLength += 1
            } else if byte == UInt8(ascii: ".") {
                if labelLength == 0 { emptyLabel = true }
                labels += 1
                labelLength = 0
            } else {
                labelLength += 1
            }
        }
        return ats == 1 && localLength > 0 && labels >= 1 && labelLength > 0 && !emptyLabel
    }

    private static func websiteInvalid(_ field: String) -> FieldViolation {
        FieldViolation(field: field, reason: "must be an http or https address with a host")
    }

    static func website(_ value: String) -> Checked {
        let invalid = Checked.failure(websiteInvalid("website"))
        guard TextInput.length(value) <= maxWebsite,
              !value.containsWhitespace else {
            return invalid
        }
        // A bare host ("example.com") gets https; anything else must say http or https itself.
        let candidate = value.contains("://") ? value : "https://" + value
        guard let components = URLComponents(string: candidate),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty else {
            return invalid
        }
        return .success(candidate)
    }

    /// Digits with an optional leading `+`, and spaces, dashes, parentheses and dots; 5-20 digits.
    /// - Parameter field: the API name reported on refusal (`phone`, `mobile`).
    static func phone(_ value: String, field: String = "phone") -> Checked {
        var digits = 0
        for (offset, scalar) in value.unicodeScalars.enumerated() {
            switch scalar {
            case "0"..."9": digits += 1
            case " ", "-", "(", ")", ".": continue
            case "+" where offset == 0: continue
            default:
                return .failure(FieldViolation(field: field,
                                               reason: "may hold only digits, a leading +, spaces, dashes, parentheses and dots"))
            }
        }
        guard (5...20).contains(digits) else {
            return .failure(FieldViolation(field: field, reason: "must have 5 to 20 digits"))
        }
        return .success(value)
    }
}

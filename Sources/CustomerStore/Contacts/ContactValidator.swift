import SQLiteEngine

/// The stored personal columns of a contact after validation and normalisation.
struct ContactColumns: Sendable, Hashable {
    var firstName, lastName, title, email, phone, mobile, language, notes: String?

    /// The bound values of `first_name` ... `notes`, in table order.
    var values: [SQLValue] {
        [firstName, lastName, title, email, phone, mobile, language, notes].map(SQLValue.init)
    }

    /// The fields the history compares, by API name, as text.
    var historyValues: HistoryLog.Values {
        [("firstName", firstName), ("lastName", lastName), ("title", title), ("email", email), ("phone", phone),
         ("mobile", mobile), ("language", language), ("notes", notes)]
    }
}

extension ContactColumns {
    /// The columns of a stored contact.
    init(_ contact: StoredContact) {
        self.init(firstName: contact.firstName, lastName: contact.lastName, title: contact.title, email: contact.email,
                  phone: contact.phone, mobile: contact.mobile, language: contact.language, notes: contact.notes)
    }
}

/// The one place contact input is checked; reports every violation at once with API field names.
enum ContactValidator {
    static let maxName = 100
    static let maxTitle = 100
    static let maxNotes = 4_000

    /// Validates `fields` on top of `current` (empty columns for a new contact).
    static func validate(_ fields: StoredContactFields, onto current: ContactColumns) -> (ContactColumns, [FieldViolation]) {
        var violations: [FieldViolation] = []
        var columns = current
        CustomerValidator.normalise(fields.firstName, field: "firstName", maxLength: maxName,
                                    &columns.firstName, &violations)
        CustomerValidator.normalise(fields.lastName, field: "lastName", maxLength: maxName,
                                    &columns.lastName, &violations)
        CustomerValidator.normalise(fields.title, field: "title", maxLength: maxTitle,
                                    &columns.title, &violations)
        CustomerValidator.normalise(fields.email, field: "email", early: CustomerValidator.emailLimit(),
                                    CustomerValidator.email, &columns.email, &violations)
        CustomerValidator.normalise(fields.phone, field: "phone", early: CustomerValidator.separatedLimit("phone"),
                                    CustomerValidator.phone, &columns.phone, &violations)
        CustomerValidator.normalise(fields.mobile, field: "mobile", early: CustomerValidator.separatedLimit("mobile"),
                                    CustomerValidator.phone, &columns.mobile,
                                    &violations)
        CustomerValidator.normalise(fields.language, field: "language", language, &columns.language, &violations)
        CustomerValidator.normalise(fields.notes, field: "notes", maxLength: maxNotes, lines: .multiple,
                                    &columns.notes, &violations)
        if columns.firstName == nil, columns.lastName == nil,
           !violations.contains(where: { $0.field == "firstName" || $0.field == "lastName" }) {
            for field in ["firstName", "lastName"] {
                violations.append(FieldViolation(field: field, reason: "a contact needs a first name or a last name"))
            }
        }
        return (columns, violations)
    }

    /// A BCP 47 style tag of 2-3 letters with an optional region (2 letters or 3 digits), as
    /// `fi`, `en-GB`, `nb_no`: stored with a lower-case language and an upper-case region.
    static func language(_ value: String) -> CustomerValidator.Checked {
        let parts = value.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "_" })
        func isLetters(_ part: Substring) -> Bool {
            part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
        }
        func isDigits(_ part: Substring) -> Bool { part.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }
        let languageOK = (2...3).contains(parts[0].count) && isLetters(parts[0])
        let regionOK = parts.count == 1
            || (parts.count == 2 && ((parts[1].count == 2 && isLetters(parts[1])) || (parts[1].count == 3 && isDigits(parts[1]))))
        guard languageOK, regionOK else {
            return .failure(FieldViolation(field: "language", reason: "must be a language code like fi or en-GB"))
        }
        return .success(parts.count == 1 ? parts[0].lowercased() : "\(parts[0].lowercased())-\(parts[1].uppercased())")
    }
}

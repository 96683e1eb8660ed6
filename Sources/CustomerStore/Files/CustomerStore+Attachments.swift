import Foundation
import SQLiteEngine

/// What files and links share: where they may be attached, how their names are checked, and how
/// their changes are recorded (on the customer, as fields `files.<id>` and `links.<id>`, because
/// the history keeps entities customer, address and contact only).
extension CustomerStore {
    /// The customer must exist; the project, when given, must be one of the customer's; the acting
    /// user must exist.
    /// - Throws: `notFound` (customer), `invalidArgument` on `projectId`, `brokenRule` (user).
    static func checkAttachmentTarget(_ connection: SQLiteConnection, customerID: Int64, projectID: Int64?,
                                      by author: Author) throws {
        _ = try headOfficeID(connection, customerID: customerID)
        if let projectID {
            if try !isProject(connection, projectID, of: customerID) {
                throw StoreError.invalid("projectId", "customer \(customerID) has no project \(projectID)")
            }
        }
        try requireActingUser(connection, author)
    }

    /// Appends the customer's history entry for a change of one of its files or links.
    static func recordAttachmentChange(_ connection: SQLiteConnection, customerID: Int64, field: String,
                                       from old: String?, to new: String?, at: Int64, by author: Author) throws {
        try HistoryLog.append(connection, .customer, id: customerID, customerID: customerID, .updated, at: at, by: author,
                              changes: [StoredFieldChange(field: field, oldValue: old, newValue: new)])
    }

    static let maxFileName = 255

    /// A file name: trimmed, 1-255 characters on one line (`TextInput`), not "." or "..", without
    /// '/' (it is offered as a file name on download).
    static func validFileName(_ raw: String, field: String) -> CustomerValidator.Checked {
        let (name, violation) = TextInput.required(raw, field: field, maxLength: maxFileName)
        if let violation { return .failure(violation) }
        guard name != ".", name != "..", !name.unicodeScalars.contains("/") else {
            return .failure(FieldViolation(field: field, reason: "must not be . or .. nor contain '/'"))
        }
        return .success(name)
    }
}

extension CustomerValidator.Checked {
    /// The accepted value, or nil after adding the refusal to `violations`.
    func value(into violations: inout [FieldViolation]) -> String? {
        switch self {
        case .success(let value): return value
        case .failure(let violation):
            violations.append(violation)
            return nil
        }
    }
}

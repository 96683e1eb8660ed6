import CommandLineKit

/// The positional arguments several commands share, declared once.
enum CommandArguments {
    static let id = Argument("ID", help: "The record's id.")
    static let customerID = Argument("CUSTOMER_ID", help: "The customer's id.")
    static let customer = Argument("ID", help: "The customer's id.")
    static let projectID = Argument("PROJECT_ID", help: "The sales case's or project's id.")
    static let name = Argument("NAME", help: "Its name.")
    static let newName = Argument("NEW_NAME", help: "The new name.")
    static let text = Argument("TEXT", help: "The text.")
    static let user = Argument("USER", help: "The user's name.")

    /// `--expect-version V` for a record named as `what` ("the customer", "the contact", ...).
    static func expectVersion(of what: String, valueName: String = "V") -> Option {
        .value("expect-version", valueName, help: "Refuse (ABORTED) if someone changed \(what) since version \(valueName).")
    }
}

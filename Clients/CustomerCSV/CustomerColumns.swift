import CustomerClient

/// The columns of `customers import` and `customers export`: the API's field names, the head
/// office's prefixed `address.` and the first contact's `contact.`. One table, read both ways, so
/// an export imports again unchanged.
public enum CustomerColumns {
    /// A column: its name, how to read it from a record, how to write it into one.
    public struct Column: Sendable {
        public let name: String
        public let get: @Sendable (CustomerRecord) -> String?
        /// Sets the value; throws a reason when the text cannot be the field's type.
        public let set: @Sendable (inout CustomerRecord, String) throws -> Void
    }

    public struct ColumnProblem: Error {
        public let reason: String
    }

    /// Every column, in export order.
    public static let all: [Column] = [
        Column(name: "number", get: { $0.fields.number.map(String.init) }) { record, text in
            guard let number = Int64(text) else { throw ColumnProblem(reason: "must be a whole number") }
            record.fields.number = number
        },
        text("name", \.fields.name),
        text("accountManager", \.fields.accountManager),
        text("description", \.fields.description),
        text("vatNumber", \.fields.vatNumber),
        text("businessId", \.businessId),
        text("country", \.fields.country),
        text("industry", \.fields.industry),
        text("email", \.fields.email),
        text("website", \.fields.website),
        text("phone", \.fields.phone),
        address("street1", \.street1), address("street2", \.street2), address("street3", \.street3),
        address("postalCode", \.postalCode), address("city", \.city), address("region", \.region),
        address("country", \.country),
        Column(name: "address.kind", get: { $0.address?.kind.map { kindNames[$0.rawValue] } }) { record, text in
            guard let raw = kindNames.firstIndex(of: text.lowercased()), let kind = Address.Kind(rawValue: raw) else {
                throw ColumnProblem(reason: "must be one of " + kindNames.joined(separator: ", "))
            }
            record.address = record.address ?? AddressFields()
            record.address?.kind = kind
        },
        contact("firstName", \.firstName), contact("lastName", \.lastName), contact("title", \.title),
        contact("email", \.email), contact("phone", \.phone), contact("mobile", \.mobile),
        contact("language", \.language), contact("notes", \.notes),
        list("contact.keywords", \.contactKeywords), list("contact.roles", \.contactRoles),
    ]

    public static let names = all.map(\.name)

    /// `Address.Kind` by raw value, as the CLI spells it.
    private static let kindNames = ["visiting", "postal", "billing", "delivery"]

    private static func text(_ name: String, _ path: WritableKeyPath<CustomerRecord, String?> & Sendable) -> Column {
        Column(name: name, get: { $0[keyPath: path] }) { record, text in record[keyPath: path] = text }
    }

    /// A list of names in one cell (see `NameList`).
    private static func list(_ name: String, _ path: WritableKeyPath<CustomerRecord, [String]> & Sendable) -> Column {
        Column(name: name, get: { $0[keyPath: path].isEmpty ? nil : NameList.joined($0[keyPath: path]) }) { record, text in
            record[keyPath: path] = try NameList.split(text)
        }
    }

    private static func address(_ name: String, _ path: WritableKeyPath<AddressFields, String?> & Sendable) -> Column {
        Column(name: "address." + name, get: { $0.address?[keyPath: path] }) { record, text in
            record.address = record.address ?? AddressFields()
            record.address?[keyPath: path] = text
        }
    }

    private static func contact(_ name: String, _ path: WritableKeyPath<ContactFields, String?> & Sendable) -> Column {
        Column(name: "contact." + name, get: { $0.contact?[keyPath: path] }) { record, text in
            record.contact = record.contact ?? ContactFields()
            record.contact?[keyPath: path] = text
        }
    }
}

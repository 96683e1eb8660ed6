import CommandLineKit
import CustomerClient

/// The options of the `addresses` and `contacts` commands, each declared once.
enum ContactOptions {
    static let street = Option.repeatable("street", "LINE", help: "A street line; give it up to three times, in order.")
    static let postalCode = Option.value("postal-code", "CODE", help: "Postal code.")
    static let city = Option.value("city", "CITY", help: "City.")
    static let region = Option.value("region", "REGION", help: "Region or state.")
    static let country = Option.value("country", "CC", help: "ISO 3166-1 alpha-2 country code (required when adding).")
    static let kind = Option.value("kind", "KIND", help: "visiting (default), postal, billing or delivery.",
                                   choices: Address.Kind.allCases.map { Output.describe($0) })

    static let addressOptions = [street, postalCode, city, region, country, kind]

    static func addressFields(_ invocation: Invocation) throws -> AddressFields {
        let lines = invocation.values(street)
        guard lines.count <= 3 else { throw UsageError("give \(street.spelling) at most three times") }
        let chosen = invocation.value(kind).flatMap { text in Address.Kind.allCases.first { Output.describe($0) == text } }
        return AddressFields(
            street1: lines.count > 0 ? lines[0] : nil, street2: lines.count > 1 ? lines[1] : nil,
            street3: lines.count > 2 ? lines[2] : nil, postalCode: invocation.value(postalCode),
            city: invocation.value(city), region: invocation.value(region), country: invocation.value(country), kind: chosen)
    }

    static let firstName = Option.value("first-name", "NAME", help: "First name.")
    static let lastName = Option.value("last-name", "NAME", help: "Last name (a contact needs a first or a last name).")
    static let title = Option.value("title", "TITLE", help: "Job title.")
    static let email = Option.value("email", "E", help: "Email address.")
    static let phone = Option.value("phone", "P", help: "Phone number.")
    static let mobile = Option.value("mobile", "P", help: "Mobile number.")
    static let language = Option.value("language", "L", help: "Language, e.g. fi, en, nb.")
    static let notes = Option.value("notes", "TEXT", help: "Free text: line breaks and tabs allowed, no other control characters.")

    static let contactOptions = [firstName, lastName, title, email, phone, mobile, language, notes]

    static func contactFields(_ invocation: Invocation) -> ContactFields {
        ContactFields(
            firstName: invocation.value(firstName), lastName: invocation.value(lastName), title: invocation.value(title),
            email: invocation.value(email), phone: invocation.value(phone), mobile: invocation.value(mobile),
            language: invocation.value(language), notes: invocation.value(notes))
    }

    static let keyword = Option.repeatable("keyword", "K", help: "A keyword by name; repeatable.")
    static let role = Option.repeatable("role", "R", help: "A role by name; repeatable.")
}

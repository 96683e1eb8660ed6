import CommandLineKit
import CustomerClient

/// The options of the `customers` commands: a customer's fields and the list filters, each declared once.
enum CustomerOptions {
    static let name = Option.value("name", "NAME", help: "The customer's name (required on create; at most 200 characters).")
    static let number = Option.value("number", "N", help: """
        The customer number: unique, 1 to 9999999999. Without it the next
        number of the sequence, which skips numbers given here and never
        hands out a deleted or changed customer's number.
        """)
    static let vat = Option.value("vat", "V", help: """
        VAT number or business id as pasted (any spaces, dashes, dots,
        full-width digits), checked for the country's check digits and
        stored in one form (fi 0112038-9 becomes FI01120389). Without
        --country its prefix names the country (FI 0250345-3). A bare
        Norwegian organisation number is kept as the business id only.
        """)
    static let country = Option.value("country", "CC", help: "ISO 3166-1 alpha-2 country code, e.g. FI, NO, NL.")
    static let email = Option.value("email", "E", help: "Email address.")
    static let website = Option.value("website", "URL", help: "Website (http or https; 'example.com' becomes 'https://example.com').")
    static let phone = Option.value("phone", "P", help: "Phone number (digits, optional leading +, spaces, dashes).")
    static let industry = Option.value("industry", "I", help: "Industry.")
    static let accountManager = Option.value("account-manager", "USER", help: "The user name of the account manager.")
    static let description = Option.value("description", "D", help: "Free text: line breaks and tabs allowed, no other control characters.")
    static let allowDuplicateVat = Option.flag("allow-duplicate-vat", help: """
        Keep a VAT number another customer already has (otherwise refused,
        naming that customer); the number is checked for the country.
        """)

    /// The field options, in the order the help lists them.
    static let fieldOptions = [name, number, vat, country, email, website, phone, industry, accountManager, description]

    static let expectVersion = CommandArguments.expectVersion(of: "the customer")

    static func fields(from invocation: Invocation) throws -> CustomerFields {
        CustomerFields(
            number: try invocation.integer(number), name: invocation.value(name),
            accountManager: invocation.value(accountManager), description: invocation.value(description),
            vatNumber: invocation.value(vat), country: invocation.value(country), industry: invocation.value(industry),
            email: invocation.value(email), website: invocation.value(website), phone: invocation.value(phone))
    }

    static let inactive = Option.flag("inactive", help: "Only deactivated customers (default: only active ones).")
    static let all = Option.flag("all", help: "Active and deactivated customers.")
    static let search = Option.value("search", "TEXT", help: """
        Match name, number, VAT number, business id or email, ignoring case
        and accents; a VAT number or business id in any spelling
        (0250345-3, FI02503453, fi 0250345 3).
        """)
    static let inCountry = Option.value("country", "CC", help: "Only customers in this country.")
    static let ofAccountManager = Option.value("account-manager", "USER", help: "Only customers of this account manager.")
    static let changedSince = Option.value("changed-since", "TIME", help: """
        Only customers changed at or after TIME (ISO 8601: 2026-01-31, 2026-01-31T12:00,
        2026-01-31T12:00:00Z; without a zone, local time as TZ names it: see
        'customerctl help activities event').
        """)
    static let order = Option.value("order", help: "Sort order. Default: name.", choices: ["name", "number"])

    /// The filter options, in the order the help lists them.
    static let filters = [inactive, all, search, inCountry, ofAccountManager, changedSince, order]

    static func query(from invocation: Invocation) throws -> CustomerQuery {
        if invocation.flag(inactive) && invocation.flag(all) {
            throw UsageError("give --inactive or --all, not both")
        }
        var query = CustomerQuery(
            status: invocation.flag(all) ? .all : invocation.flag(inactive) ? .inactive : nil,
            search: invocation.value(search), country: invocation.value(inCountry),
            accountManager: invocation.value(ofAccountManager))
        query.changedSince = try invocation.arguments.dateTime(changedSince)
        switch invocation.value(order) {
        case "name": query.order = .name
        case "number": query.order = .number
        default: break
        }
        return query
    }
}

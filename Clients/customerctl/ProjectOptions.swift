import BinaryCoding
import CommandLineKit
import CustomerClient
import Foundation

/// The options of sales cases and projects, each declared once, and the exact decimals several commands read.
enum ProjectOptions {
    static let name = Option.value("name", "NAME", help: "The name.")
    static let stage = Option.value("stage", "S", help: "Sales case: stage, e.g. lead, offer, negotiation.")
    static let probability = Option.value("probability", "P", help: "Sales case: chance of winning, 0 to 100 (%).")
    static let value = Option.value("value", "V", help: "Sales case: expected value, an exact decimal (e.g. 12500.00).")
    static let valueCurrency = Option.value("value-currency", "C", help: "Sales case: currency of the expected value (ISO 4217).")
    static let close = Option.value("close", "DATE", help: "Sales case: expected close date (YYYY-MM-DD).")
    static let number = Option.value("number", "N", help: "Project number, 1 to 9999999999 (assigned when not given).")
    static let status = Option.value("status", help: "Project status.", choices: ["open", "closed"])
    static let manager = Option.value("manager", "USER", help: "Project manager (a user name; \"\" clears).")
    static let start = Option.value("start", "DATE", help: "Project start date (YYYY-MM-DD).")
    static let end = Option.value("end", "DATE", help: "Project end date (YYYY-MM-DD).")
    static let currency = Option.value("currency", "C", help: "The project's currency (ISO 4217).")

    static let salesCaseOptions = [name, stage, probability, value, valueCurrency, close]
    static let projectOnlyOptions = [number, status, manager, start, end, currency]
    static let fieldOptions = salesCaseOptions + projectOnlyOptions

    static func decimal(_ invocation: Invocation, _ option: Option) throws -> Decimal? {
        guard let text = invocation.value(option) else { return nil }
        // Exactly the wire's form: Decimal(string:) read "1.2.3" as 1.2 and "1-2" as 1 (fuzz29).
        guard let value = Decimal(exactText: text) else {
            throw UsageError("\(option.spelling) needs an exact decimal number such as 1250.50 (digits, an optional "
                             + "'-' and one '.' between digits, at most 38 significant digits), got '\(text)'")
        }
        return value
    }

    static func fields(_ invocation: Invocation) throws -> ProjectFields {
        ProjectFields(
            name: invocation.value(name), stage: invocation.value(stage), probability: try invocation.integer(probability),
            expectedValue: try decimal(invocation, value), expectedCurrency: invocation.value(valueCurrency),
            expectedClose: invocation.value(close), number: try invocation.integer(number),
            status: invocation.value(status).map { $0 == "open" ? .open : .closed },
            manager: invocation.value(manager), startsOn: invocation.value(start), endsOn: invocation.value(end),
            currency: invocation.value(currency))
    }
}

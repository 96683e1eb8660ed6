import CustomerAPI

/// A response message with money fields: callers without the Financial figures right must not
/// get them, not even as zeros. Such a message says so instead, so a client can show "no access".
///
/// How to apply it to a message (e.g. a project, an invoice, the card's financial tab):
///
///     extension Project: MoneyBearing {
///         func withFinancialFiguresHidden() -> Project {
///             var copy = self
///             copy.budget = nil          // every money field: optional, nil = absent on the wire
///             copy.invoiced = nil
///             copy.moneyHidden = true    // the message's "hidden" marker
///             return copy
///         }
///     }
///
/// and in the handler return `caller.shown(project)` (arrays and optionals work the same; for a
/// stream, `writer.send(caller.shown(item))`). A message holding others that carry money
/// conforms by mapping them with `withFinancialFiguresHidden()`.
protocol MoneyBearing {
    /// The message without any money field, marked hidden.
    func withFinancialFiguresHidden() -> Self
}

extension Array: MoneyBearing where Element: MoneyBearing {
    func withFinancialFiguresHidden() -> [Element] { map { $0.withFinancialFiguresHidden() } }
}

extension Optional: MoneyBearing where Wrapped: MoneyBearing {
    func withFinancialFiguresHidden() -> Wrapped? { map { $0.withFinancialFiguresHidden() } }
}

extension Caller {
    /// `value` as this caller may see it: unchanged with Financial figures, else with every
    /// money field absent and marked hidden.
    func shown<Value: MoneyBearing>(_ value: Value) -> Value {
        financialFiguresVisible ? value : value.withFinancialFiguresHidden()
    }
}

// The messages that carry money. Each hides every money field and says so.

extension Project: MoneyBearing {
    func withFinancialFiguresHidden() -> Project {
        var copy = self
        copy.expectedValue = nil
        copy.moneyHidden = true
        return copy
    }
}

extension Invoice: MoneyBearing {
    func withFinancialFiguresHidden() -> Invoice {
        var copy = self
        copy.total = nil
        copy.moneyHidden = true
        return copy
    }
}

extension HistoryEntry: MoneyBearing {
    /// The fields whose values are money, by the record whose history records them: a sales case's
    /// expected value. (Invoices' history records no values.)
    static let moneyFields: [Entity: Set<String>] = [.project: ["expectedValue"]]

    /// The prefix of the fields a project's `forecastSet` and `forecastRemoved` entries record
    /// (`forecast.2027-01.revenue`, ...): every one is a figure of the financial tab, which
    /// `ListForecasts` and `GetFinancialSummary` refuse without the right.
    static let forecastFieldPrefix = "forecast."

    /// The entry without its money changes: the history must not tell what the record itself hides.
    func withFinancialFiguresHidden() -> HistoryEntry {
        guard let money = Self.moneyFields[entity] else { return self }
        var copy = self
        copy.changes.removeAll { money.contains($0.field) || $0.field.hasPrefix(Self.forecastFieldPrefix) }
        return copy
    }
}

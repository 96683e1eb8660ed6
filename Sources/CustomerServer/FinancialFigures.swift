/// A response message with money fields: callers without the Financial figures right must not
/// get them, not even as zeros. Such a message says so instead, so a client can show "no access".
///
/// How to apply it to a message (e.g. a project, an invoice, the card's financial tab):
///
///     extension Project: FinancialFigures {
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
protocol FinancialFigures {
    /// The message without any money field, marked hidden.
    func withFinancialFiguresHidden() -> Self
}

extension Array: FinancialFigures where Element: FinancialFigures {
    func withFinancialFiguresHidden() -> [Element] { map { $0.withFinancialFiguresHidden() } }
}

extension Optional: FinancialFigures where Wrapped: FinancialFigures {
    func withFinancialFiguresHidden() -> Wrapped? { map { $0.withFinancialFiguresHidden() } }
}

extension Caller {
    /// `value` as this caller may see it: unchanged with Financial figures, else with every
    /// money field absent and marked hidden.
    func shown<Value: FinancialFigures>(_ value: Value) -> Value {
        financialFiguresVisible ? value : value.withFinancialFiguresHidden()
    }
}

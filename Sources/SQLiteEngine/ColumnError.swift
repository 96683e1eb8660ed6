/// A row's column could not be read by name: a decoder and its SELECT disagree.
public struct ColumnError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        /// No result column has this name (its `AS` alias, or the column's own name).
        case missing
        /// Two result columns have this name: give one an `AS` alias.
        case ambiguous
        /// The value's storage class is not the one asked for, e.g. NULL where an integer was expected.
        case wrongType(expected: String, found: String)
    }

    /// The column's name as the decoder asked for it.
    public let column: String
    public let problem: Problem
    /// The statement's SQL (never its bound values).
    public let sql: String

    public init(column: String, problem: Problem, sql: String) {
        self.column = column
        self.problem = problem
        self.sql = sql
    }

    public var description: String {
        switch problem {
        case .missing: return "no column \"\(column)\" in: \(sql)"
        case .ambiguous: return "more than one column is named \"\(column)\" in: \(sql)"
        case .wrongType(let expected, let found): return "column \"\(column)\" holds \(found), not \(expected), in: \(sql)"
        }
    }
}

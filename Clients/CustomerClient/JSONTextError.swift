/// JSON text `customerctl call` cannot read (`DynamicValue(json:)`): where (a line and column for
/// text that is not JSON, the member's path for a number that cannot be read exactly) and why.
public struct JSONTextError: Error, Sendable, CustomStringConvertible {
    public enum Fault: Sendable, Equatable {
        /// Not JSON; the reason names what was expected or found.
        case syntax(String)
        /// Valid JSON, but a number whose value no field could hold exactly (the number's text).
        case inexactNumber(String)
    }

    public let fault: Fault
    /// The member the number stands at (`fields.creditLimit`, `ids[2]`); empty at the top.
    public let path: String
    /// 1-based; 0 for an inexact number, which is named by its path.
    public let line: Int
    public let column: Int

    init(_ fault: Fault, at path: String, line: Int, column: Int) {
        self.fault = fault
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String {
        switch fault {
        case .syntax(let reason):
            return "not JSON: line \(line), column \(column): \(reason)"
        case .inexactNumber(let text):
            let shown = text.count > 48 ? text.prefix(45) + "..." : text
            let place = path.isEmpty ? "" : "\(path): "
            return "\(place)the number \(shown) cannot be read exactly: a decimal holds 38 digits, "
                + "10^-128 to 10^127, and a whole number up to 2^64-1"
        }
    }
}

import CustomerClient

/// customerctl's exit codes: 0 on success, 64 for a wrong command line, 10 + the gRPC status
/// code for a call the server (or the connection) refused, 1 for anything else.
enum ExitStatus {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 64

    static func code(for status: StatusCode) -> Int32 {
        10 + Int32(status.rawValue)
    }

    static var helpLines: String {
        var lines = [
            "  0   success",
            "  1   an unexpected local failure",
            "  64  wrong command line",
        ]
        for status in StatusCode.allCases where status != .ok {
            lines.append("  \(code(for: status))  \(status)")
        }
        return lines.joined(separator: "\n")
    }
}

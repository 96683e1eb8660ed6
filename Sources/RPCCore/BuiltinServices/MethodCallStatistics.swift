/// One method's calls since the server started, in the server-info answer (field numbers in
/// `CodingKeys`, see PROTOCOL.md, "Built-in services"). Durations run from the CALL_START frame
/// read to the STATUS frame queued; percentiles are upper bounds of fixed buckets (at most 25 %
/// above the true value, never above `maxMicroseconds`).
public struct MethodCallStatistics: Codable, Sendable, Hashable {
    /// `service/method`.
    public var method: String
    public var calls: UInt64 = 0
    /// Only codes with a non-zero count, in code order (OK included).
    public var callsByStatus: [StatusCount] = []
    public var p50Microseconds: UInt64 = 0
    public var p90Microseconds: UInt64 = 0
    public var p99Microseconds: UInt64 = 0
    public var maxMicroseconds: UInt64 = 0

    public init(method: String) {
        self.method = method
    }

    enum CodingKeys: Int, CodingKey {
        case method = 1
        case calls = 2
        case callsByStatus = 3
        case p50Microseconds = 4
        case p90Microseconds = 5
        case p99Microseconds = 6
        case maxMicroseconds = 7
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func number(_ key: CodingKeys) throws -> UInt64 { try container.decodeIfPresent(UInt64.self, forKey: key) ?? 0 }
        method = try container.decodeIfPresent(String.self, forKey: .method) ?? ""
        calls = try number(.calls)
        callsByStatus = try container.decodeIfPresent([StatusCount].self, forKey: .callsByStatus) ?? []
        p50Microseconds = try number(.p50Microseconds)
        p90Microseconds = try number(.p90Microseconds)
        p99Microseconds = try number(.p99Microseconds)
        maxMicroseconds = try number(.maxMicroseconds)
    }

    /// Calls that ended with another status than OK.
    public var errors: UInt64 { callsByStatus.filter { $0.code != .ok }.reduce(0) { $0 + $1.count } }
}

extension StatusCount {
    /// The non-zero counts of `counts` (indexed by `StatusCode.rawValue`), in code order.
    public static func nonZero(_ counts: [UInt64]) -> [StatusCount] {
        StatusCode.allCases.compactMap { code in
            let index = Int(code.rawValue)
            guard index < counts.count, counts[index] > 0 else { return nil }
            return StatusCount(code: code, count: counts[index])
        }
    }
}

import RPCCore

/// The page size a listing request asks for (`limit`), checked once for every paged method.
enum PageLimit {
    /// `requested`, or `defaultLimit` when absent, when it is from 1 to `maximum`.
    /// - Throws: INVALID_ARGUMENT naming `limit` and its range.
    static func checked(_ requested: Int32?, default defaultLimit: Int, maximum: Int) throws(RPCError) -> Int {
        let limit = requested.map(Int.init) ?? defaultLimit
        guard (1...maximum).contains(limit) else {
            throw RPCError(.invalidArgument, field: "limit", "must be between 1 and \(maximum), got \(limit)")
        }
        return limit
    }
}

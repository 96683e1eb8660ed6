extension RPCError {
    /// A refusal of request fields in the one form PROTOCOL.md §6.1 gives: one detail per field
    /// at fault, and as the message their `field: reason` joined by `; `, so that the text a person
    /// reads and the details a program matches say the same, in the API's field names.
    public init(_ code: StatusCode, refusing details: [ErrorDetail]) {
        self.init(code, details.map(\.text).joined(separator: "; "), details: details)
    }

    /// A refusal of one request field: `field: reason`, with the detail.
    public init(_ code: StatusCode, field: String, _ reason: String) {
        self.init(code, refusing: [ErrorDetail(field: field, reason: reason)])
    }
}

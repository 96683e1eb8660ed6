/// How many messages each side of a call sends.
public enum MethodKind: UInt8, Sendable, Codable {
    /// One request, one response.
    case unary = 0
    /// One request, a stream of responses.
    case serverStreaming = 1
    /// A stream of requests, one response.
    case clientStreaming = 2
    /// Streams both ways (reserved: not served by this version's ``Router``).
    case bidirectionalStreaming = 3
}

/// Names one method of one service, e.g. `customer.v1.CustomerService/GetCustomer`.
public struct MethodDescriptor: Sendable, Hashable {
    /// The fully qualified service name, `package.Service`.
    public let service: String
    /// The method name within the service.
    public let method: String
    public let kind: MethodKind
    /// What a caller should know beyond the messages (a rule, a refusal), for reflection and the
    /// API reference.
    public let summary: String?
    /// The handler may wait long (a store write waiting for its group commit, a registry over
    /// HTTP): a server then never runs it in front of calls already read behind it on the same
    /// connection (docs/ARCHITECTURE.md, "Threads"). Not on the wire.
    public let mayWaitLong: Bool
    /// `service/method`, the name that travels in a CALL_START frame. Kept, not computed: every
    /// call's CALL_START writes it, and joining the two names cost a call a String allocation.
    public let fullName: String

    public init(service: String, method: String, kind: MethodKind, summary: String? = nil, mayWaitLong: Bool = false) {
        self.service = service
        self.method = method
        self.kind = kind
        self.summary = summary
        self.mayWaitLong = mayWaitLong
        fullName = "\(service)/\(method)"
    }
}

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
///
/// Its names live in one shared immutable storage: a copy is one retain, not one per string. Every
/// call's ``ServerContext`` (and the permission check beside it) copied the four strings, 8
/// `swift_bridgeObjectRetain` a get and their releases (callgrind, docs/performance/HISTORY.md "get27").
public struct MethodDescriptor: Sendable, Hashable {
    private final class Storage: Sendable {
        let service: String
        let method: String
        let kind: MethodKind
        let summary: String?
        let mayWaitLong: Bool
        let fullName: String

        init(service: String, method: String, kind: MethodKind, summary: String?, mayWaitLong: Bool) {
            self.service = service
            self.method = method
            self.kind = kind
            self.summary = summary
            self.mayWaitLong = mayWaitLong
            fullName = "\(service)/\(method)"
        }
    }

    private let storage: Storage

    /// The fully qualified service name, `package.Service`.
    public var service: String { storage.service }
    /// The method name within the service.
    public var method: String { storage.method }
    public var kind: MethodKind { storage.kind }
    /// What a caller should know beyond the messages (a rule, a refusal), for reflection and the
    /// API reference.
    public var summary: String? { storage.summary }
    /// The handler may wait long (a store write waiting for its group commit, a registry over
    /// HTTP): a server then never runs it in front of calls already read behind it on the same
    /// connection (docs/ARCHITECTURE.md, "Threads"). Not on the wire.
    public var mayWaitLong: Bool { storage.mayWaitLong }
    /// `service/method`, the name that travels in a CALL_START frame. Kept, not computed: every
    /// call's CALL_START writes it, and joining the two names cost a call a String allocation.
    public var fullName: String { storage.fullName }

    public init(service: String, method: String, kind: MethodKind, summary: String? = nil, mayWaitLong: Bool = false) {
        storage = Storage(service: service, method: method, kind: kind, summary: summary, mayWaitLong: mayWaitLong)
    }

    /// Equal when every field is (two descriptors made apart from the same names are equal).
    public static func == (lhs: MethodDescriptor, rhs: MethodDescriptor) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.service == rhs.service && lhs.method == rhs.method && lhs.kind == rhs.kind
                && lhs.summary == rhs.summary && lhs.mayWaitLong == rhs.mayWaitLong)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(service)
        hasher.combine(method)
        hasher.combine(kind)
        hasher.combine(summary)
        hasher.combine(mayWaitLong)
    }
}

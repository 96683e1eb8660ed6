/// Per-call settings.
public struct CallOptions: Sendable {
    /// The call gives up after this long with DEADLINE_EXCEEDED; the server is told the deadline.
    public var timeout: Duration?
    /// Sent with the call (keys lower-case ASCII, see ``Metadata``).
    public var metadata: Metadata

    public init(timeout: Duration? = nil, metadata: Metadata = Metadata()) {
        self.timeout = timeout
        self.metadata = metadata
    }
}

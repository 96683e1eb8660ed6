import RPCCore

/// The cause of an UNAVAILABLE for a call the server said it never started: its GOAWAY named a
/// lower stream id as the last call it started (PROTOCOL.md section 5.4), typically an idle close
/// racing the call's CALL_START. Such a call did nothing, so sending it again cannot do it twice.
public struct CallNotStarted: Error, Sendable {
    /// The server's reason for closing (its GOAWAY message).
    public let reason: String
}

extension RPCError {
    /// Whether the server provably never started the call (see ``CallNotStarted``): safe to send
    /// again even when it writes. The channel already does so for unary and server-streaming calls
    /// (4 connections in all); a client stream's messages are the caller's to send again.
    public var callWasNotStarted: Bool { cause is CallNotStarted }
}

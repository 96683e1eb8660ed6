import RPCCore
import RPCTransport

/// Sends the request messages of a client-streaming call.
public final class ClientStreamSender<Message: Encodable & Sendable>: Sendable {
    private let method: MethodDescriptor
    private let call: ClientCall
    private let connection: ClientConnection

    init(method: MethodDescriptor, call: ClientCall, connection: ClientConnection) {
        self.method = method
        self.call = call
        self.connection = connection
    }

    /// Sends one message, first waiting while the server's flow-control window is used up.
    /// Throws the call's error once it ended (e.g. the server refused it, the deadline passed).
    public func send(_ message: Message) async throws {
        try await send(payload: try ClientChannel.encode(message, for: method))
    }

    /// Sends one message already encoded (built from a reflected schema, as `customerctl call`
    /// does), waiting for credit as `send(_:)` does.
    public func send(payload bytes: [UInt8]) async throws {
        try await call.spendCredit(FrameHeader.cost(ofPayload: bytes.count))
        guard !call.isFinished else { return }
        try connection.send { buffer in
            FrameBuilder.append(.message, flags: .hasMessage, streamID: call.streamID, to: &buffer) {
                $0.append(contentsOf: bytes)
            }
        }
    }
}

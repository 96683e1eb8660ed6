import RPCCore

/// The bytes one unary call puts on the socket (PROTOCOL.md), for a bare ping-pong of the same sizes.
enum FrameSizes {
    static let header = 10

    /// A CALL_START carrying the request and a STATUS carrying the response, each behind the header;
    /// `timeout`: the call's deadline (`run --timeout`), sent as microseconds, nil: none (0).
    static func unaryCall(methodName: String, requestMessage: Int, responseMessage: Int,
                          timeout: Duration? = nil) -> (request: Int, response: Int) {
        let method = methodName.utf8.count
        let timeoutMicroseconds = timeout.map { Int(clamping: $0.saturatingCount(of: .microseconds(1), roundingUp: true)) } ?? 0
        // CALL_START: timeout varint, method length + name, metadata count (0), request message.
        let callStart = header + varintLength(timeoutMicroseconds) + varintLength(method) + method + 1 + requestMessage
        // STATUS: code, message length (0), details length (0), trailer count (0), response message.
        let status = header + 4 + responseMessage
        return (callStart, status)
    }

    static func varintLength(_ value: Int) -> Int {
        var length = 1
        var rest = value >> 7
        while rest > 0 {
            length += 1
            rest >>= 7
        }
        return length
    }
}

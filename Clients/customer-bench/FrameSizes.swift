/// The bytes one unary call puts on the socket (PROTOCOL.md), for a bare ping-pong of the same sizes.
enum FrameSizes {
    static let header = 10

    /// A CALL_START carrying the request and a STATUS carrying the response, each behind the header.
    static func unaryCall(methodName: String, requestMessage: Int, responseMessage: Int) -> (request: Int, response: Int) {
        let method = methodName.utf8.count
        // CALL_START: timeout varint (0), method length + name, metadata count (0), request message.
        let callStart = header + 1 + varintLength(method) + method + 1 + requestMessage
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

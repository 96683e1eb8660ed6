/// Which stream a frame may use (PROTOCOL.md section 5): the same rules bind both sides, so the
/// server and the client refuse a misplaced frame with the same words.
extension FrameHeader {
    /// A frame that belongs to a call (CALL_START, MESSAGE, STATUS, CANCEL, WINDOW_UPDATE) on stream
    /// 0, the connection's own: a connection error, never a frame to ignore.
    package func requireCallStream() throws(ProtocolViolation) {
        guard streamID != 0 else { throw ProtocolViolation("\(type) frame on stream 0") }
    }

    /// A PING off stream 0, or whose payload is not the 8 bytes its PONG echoes: a connection error.
    package func requireWellFormedPing() throws(ProtocolViolation) {
        guard streamID == 0 else { throw ProtocolViolation("PING on stream \(streamID), not 0") }
        guard payloadLength == 8 else { throw ProtocolViolation("PING with \(payloadLength) payload bytes, not 8") }
    }
}

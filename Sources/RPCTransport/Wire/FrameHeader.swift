import RPCCore

/// The type byte of a frame (PROTOCOL.md, "Frame types").
package enum FrameType: UInt8, Sendable {
    case hello = 0x01
    case callStart = 0x02
    case message = 0x03
    case status = 0x04
    case cancel = 0x05
    case windowUpdate = 0x06
    case ping = 0x07
    case pong = 0x08
    case goAway = 0x09
}

/// The flag bits of a frame; bits not defined for a frame type must be zero.
package struct FrameFlags: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8

    package init(rawValue: UInt8) { self.rawValue = rawValue }

    /// No flag set (`[]` would take the generic path described below).
    package init() { rawValue = 0 }

    /// The sender sends no more messages on this stream after this frame.
    package static let endStream = FrameFlags(rawValue: 0x01)
    /// The frame's payload ends with one message (possibly zero bytes long).
    package static let hasMessage = FrameFlags(rawValue: 0x02)
    /// One message, and the last: a unary or server-streaming CALL_START.
    package static let lastMessage = FrameFlags(rawValue: hasMessage.rawValue | endStream.rawValue)

    // Concrete, where OptionSet's defaults are generic: called on every frame, they went through
    // `SetAlgebra`'s unspecialized code (a CALL_START's `[.hasMessage, .endStream]` cost ~2 000
    // instructions, callgrind of customerd). Build sets from the constants above, not array literals.

    package func contains(_ member: FrameFlags) -> Bool { rawValue & member.rawValue == member.rawValue }

    package func isSubset(of other: FrameFlags) -> Bool { rawValue & ~other.rawValue == 0 }
}

/// The fixed 10-byte header in front of every frame, all integers big-endian:
/// payload length (u32), type (u8), flags (u8), stream id (u32).
package struct FrameHeader: Sendable, Hashable {
    package static let size = 10

    /// What a message frame costs in flow-control credit: header plus payload (PROTOCOL.md, "Flow control").
    package static func cost(ofPayload count: Int) -> Int { size + count }

    package var payloadLength: UInt32
    package var type: FrameType
    package var flags: FrameFlags
    package var streamID: UInt32

    /// Reads a header from exactly `size` bytes at `offset`; unknown frame types are a protocol error.
    package static func parse(_ bytes: [UInt8], at offset: Int) throws(ProtocolViolation) -> FrameHeader {
        let length = UInt32(bigEndianBytes: bytes, at: offset)
        let typeByte = bytes[offset + 4]
        guard let type = FrameType(rawValue: typeByte) else {
            throw ProtocolViolation("unknown frame type 0x\(String(typeByte, radix: 16))")
        }
        return FrameHeader(payloadLength: length, type: type, flags: FrameFlags(rawValue: bytes[offset + 5]),
                           streamID: UInt32(bigEndianBytes: bytes, at: offset + 6))
    }

    package func write(into buffer: inout [UInt8]) {
        buffer.appendBigEndian(payloadLength)
        buffer.append(type.rawValue)
        buffer.append(flags.rawValue)
        buffer.appendBigEndian(streamID)
    }
}

/// A peer broke the wire protocol; the connection cannot continue (answered with GOAWAY, then closed).
package struct ProtocolViolation: Error, Sendable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

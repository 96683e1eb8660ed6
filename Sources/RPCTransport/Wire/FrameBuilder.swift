import RPCCore

/// Appends complete frames to an output buffer: header with a placeholder length, the payload,
/// then the length patched in, so the payload is written once and never copied.
package enum FrameBuilder {
    package static func append(_ type: FrameType, flags: FrameFlags = FrameFlags(), streamID: UInt32, to buffer: inout [UInt8],
                       payload: (inout [UInt8]) -> Void = { _ in }) {
        let headerOffset = buffer.count
        FrameHeader(payloadLength: 0, type: type, flags: flags, streamID: streamID).write(into: &buffer)
        payload(&buffer)
        buffer.patchBigEndian(UInt32(buffer.count - headerOffset - FrameHeader.size), at: headerOffset)
    }

    package static func frame(_ type: FrameType, flags: FrameFlags = FrameFlags(), streamID: UInt32,
                      payload: (inout [UInt8]) -> Void = { _ in }) -> [UInt8] {
        var buffer: [UInt8] = []
        append(type, flags: flags, streamID: streamID, to: &buffer, payload: payload)
        return buffer
    }
}

/// The metadata block shared by CALL_START and STATUS: a varint count, then per entry a
/// length-prefixed key and a length-prefixed value.
extension Metadata {
    package func write(into buffer: inout [UInt8]) {
        buffer.appendVarint(UInt64(count))
        for (key, value) in self {
            buffer.appendLengthPrefixed(key)
            buffer.appendLengthPrefixed(value)
        }
    }

    package static func read(from reader: inout ByteReader) throws(ProtocolViolation) -> Metadata {
        let count = try reader.readVarint("metadata count")
        guard count <= UInt64(maxEntries) else {
            throw ProtocolViolation("metadata has \(count) entries, the limit is \(maxEntries)")
        }
        var metadata = Metadata()
        for _ in 0..<count {
            let key = try reader.readString("metadata key", limit: maxKeyLength)
            // No limit of its own: a value is held to the block's total by `validate()`, so a block
            // of too many bytes is INVALID_ARGUMENT however they are spread (PROTOCOL.md §7); the
            // frame it came in bounds what is read.
            let value = try reader.readString("metadata value", limit: reader.remaining)
            metadata.addReceived(key, value)
        }
        return metadata
    }
}

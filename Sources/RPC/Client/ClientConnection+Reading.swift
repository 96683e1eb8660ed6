import Glibc

/// The reader thread: one per connection, it routes frames to calls and resumes their tasks.
extension ClientConnection {
    func readLoop(_ initialReader: FrameReader) {
        var reader = initialReader
        var failure = RPCError(.unavailable, "the connection to \(path) closed")
        reading: while true {
            do {
                while let event = try reader.next() { try handle(event, reader) }
            } catch {
                failure = RPCError(.unavailable, "protocol violation by the server at \(path): \(error)")
                break reading
            }
            do {
                let count = try reader.fill { buffer in try socket.read(into: buffer) }
                if count == 0 { break reading }
            } catch {
                failure = RPCError(.unavailable, "the connection to \(path) failed: \(error)")
                break reading
            }
        }
        refuseNewCalls(failure, failAll: true)
        writer.shutdown(Int32(SHUT_RDWR))   // fail any write still blocked, before the close waits for it
        writer.closeSocket()
    }

    private func handle(_ event: FrameReader.Event, _ reader: FrameReader) throws(ProtocolViolation) {
        switch event {
        case .oversized(let header):
            guard header.streamID != 0, let call = call(header.streamID) else {
                throw ProtocolViolation("\(header.type) frame of \(header.payloadLength) bytes exceeds the limit")
            }
            cancel(call, with: RPCError(.resourceExhausted, "a frame of \(header.payloadLength) bytes from the server "
                                        + "exceeds this client's limit of \(configuration.maxFrameSize) bytes"))
        case .frame(let header, let range):
            let payload = reader.payload(in: range)
            switch header.type {
            case .status:
                let (status, message) = try CallStatus.parse(payload)
                guard let call = call(header.streamID) else { return }
                forget(call)
                if status.error.code == .ok {
                    call.finish(.success(header.flags.contains(.hasMessage) ? Array(message) : nil), local: false)
                } else {
                    call.finish(.failure(status.error), local: false)
                }
            case .message:
                if header.flags.contains(.hasMessage) { call(header.streamID)?.deliver(Array(payload)) }
            case .windowUpdate:
                let increment = try WindowUpdate.parse(payload)
                call(header.streamID)?.addCredit(Int(increment))
            case .ping:
                try? send { buffer in FrameBuilder.append(.pong, streamID: 0, to: &buffer) { $0.append(contentsOf: payload) } }
            case .pong:
                break
            case .goAway:
                let goAway = try GoAway(payload: payload)
                if goAway.code == .ok {
                    refuseNewCalls(RPCError(.unavailable, "the server at \(path) is shutting down: \(goAway.message)"), failAll: false)
                } else {
                    refuseNewCalls(RPCError(goAway.code, "the server at \(path) closed the connection: \(goAway.message)"),
                                   failAll: true)
                }
            case .hello, .callStart, .cancel:
                throw ProtocolViolation("a server may not send \(header.type) frames")
            }
        }
    }
}

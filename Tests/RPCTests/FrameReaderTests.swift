@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Testing

@Suite struct FrameReaderTests {
    static let sampleFrames: [[UInt8]] = [
        FrameBuilder.frame(.ping, streamID: 0) { $0.append(contentsOf: [1, 2, 3, 4, 5, 6, 7, 8]) },
        FrameBuilder.frame(.callStart, flags: [.hasMessage, .endStream], streamID: 1) { payload in
            CallStartHead(timeoutMicroseconds: 5_000_000, method: "a.B/C", metadata: Metadata([("k", "v")])).write(into: &payload)
            payload.append(contentsOf: [0x0A, 0x01, 0x78])
        },
        FrameBuilder.frame(.cancel, streamID: 1),
        FrameBuilder.frame(.message, flags: .hasMessage, streamID: 3) { $0.append(contentsOf: [UInt8](repeating: 9, count: 70_000)) },
    ]

    /// Everything the reader produces for `input` fed in chunks of `chunk` bytes.
    static func frames(from input: [UInt8], chunk: Int, maxFrameSize: Int = 1 << 20) throws -> [(FrameHeader, [UInt8])] {
        var reader = FrameReader(maxFrameSize: maxFrameSize)
        var result: [(FrameHeader, [UInt8])] = []
        var offset = 0
        while offset < input.count {
            let end = min(offset + chunk, input.count)
            reader.append(input[offset..<end])
            offset = end
            while let event = try reader.next() {
                switch event {
                case .frame(let header, let range): result.append((header, Array(reader.payload(in: range))))
                case .oversized(let header): result.append((header, []))
                }
            }
        }
        return result
    }

    @Test(arguments: [1, 7, 10, 4096, 1 << 20])
    func framesSurviveAnyChunking(chunk: Int) throws {
        let input = Self.sampleFrames.flatMap { $0 }
        let frames = try Self.frames(from: input, chunk: chunk)
        #expect(frames.map(\.0.type) == [.ping, .callStart, .cancel, .message])
        #expect(frames.map(\.0.streamID) == [0, 1, 1, 3])
        #expect(frames[0].1 == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(frames[3].1.count == 70_000)
        let (head, message) = try CallStartHead.parse(frames[1].1[...])
        #expect(head == CallStartHead(timeoutMicroseconds: 5_000_000, method: "a.B/C", metadata: Metadata([("k", "v")])))
        #expect(Array(message) == [0x0A, 0x01, 0x78])
    }

    @Test func aTruncatedFrameYieldsNothingAndKeepsItsBytes() throws {
        let frame = Self.sampleFrames[1]
        for cut in 0..<frame.count {
            var reader = FrameReader(maxFrameSize: 1 << 20)
            reader.append(frame.prefix(cut))
            #expect(try reader.next() == nil)
            #expect(reader.bufferedByteCount == cut)
            reader.append(frame.dropFirst(cut))
            guard case .frame(let header, _) = try reader.next() else {
                Issue.record("no frame after completing the input at cut \(cut)")
                return
            }
            #expect(header.type == .callStart)
        }
    }

    @Test func anOversizedFrameIsReportedBeforeItsPayloadAndSkipped() throws {
        let big = FrameBuilder.frame(.message, flags: .hasMessage, streamID: 5) { $0.append(contentsOf: [UInt8](repeating: 1, count: 5000)) }
        let after = FrameBuilder.frame(.cancel, streamID: 5)
        // Only the header is needed to reject it.
        var reader = FrameReader(maxFrameSize: 1000)
        reader.append(big.prefix(FrameHeader.size))
        guard case .oversized(let header) = try reader.next() else {
            Issue.record("oversized frame not reported from its header alone")
            return
        }
        #expect(header.payloadLength == 5000)
        #expect(header.streamID == 5)
        // The rest of its payload and the next frame, one byte at a time: the stream stays in sync.
        var events: [FrameReader.Event] = []
        for byte in big.dropFirst(FrameHeader.size) + after {
            reader.append([byte])
            while let event = try reader.next() { events.append(event) }
        }
        #expect(reader.bufferedByteCount == 0)
        guard events.count == 1, case .frame(let next, let range) = events[0] else {
            Issue.record("lost sync after skipping: \(events)")
            return
        }
        #expect(next.type == .cancel)
        #expect(next.streamID == 5)
        #expect(range.isEmpty)
    }

    @Test(arguments: [[UInt8]([0, 0, 0, 0, 0x7F, 0, 0, 0, 0, 1]), [0, 0, 0, 1, 0x00, 0, 0, 0, 0, 0], [0xFF, 0xFF, 0, 0, 0xEE, 0, 0, 0, 0, 0]])
    func anUnknownFrameTypeIsAProtocolViolation(header: [UInt8]) {
        var reader = FrameReader(maxFrameSize: 1 << 20)
        reader.append(header)
        #expect(throws: ProtocolViolation.self) { _ = try reader.next() }
    }

    @Test func garbageNeverCrashesTheReader() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let garbage = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var reader = FrameReader(maxFrameSize: 1024)
            for byte in garbage {
                reader.append([byte])
                do {
                    while let event = try reader.next() {
                        if case .frame(_, let range) = event { #expect(range.count <= 1024) }
                    }
                } catch {
                    break   // a violation is the expected outcome for most garbage
                }
            }
        }
    }

    @Test func payloadReadersRejectLyingLengths() {
        // A method name claiming 200 bytes with 3 present.
        var payload: [UInt8] = [0]
        payload.appendVarint(200)
        payload.append(contentsOf: Array("a/b".utf8))
        #expect(throws: ProtocolViolation.self) { _ = try CallStartHead.parse(payload[...]) }
        // A varint that never ends.
        #expect(throws: ProtocolViolation.self) { _ = try CallStartHead.parse([UInt8](repeating: 0xFF, count: 12)[...]) }
        // Metadata with more entries than the limit.
        var metadata: [UInt8] = [0, 1, UInt8(ascii: "m")]
        metadata.appendVarint(UInt64(Metadata.maxEntries + 1))
        #expect(throws: ProtocolViolation.self) { _ = try CallStartHead.parse(metadata[...]) }
    }

    @Test func statusRoundTripsWithDetailsAndTrailers() throws {
        let error = RPCError(.invalidArgument, "name is required", details: [ErrorDetail(field: "name", reason: "required")],
                             trailers: Metadata([("retry-after", "5")]))
        var payload: [UInt8] = []
        CallStatus(error: error).write(into: &payload)
        payload.append(contentsOf: [1, 2, 3])
        let (status, message) = try CallStatus.parse(payload[...])
        #expect(status.error == error)
        #expect(Array(message) == [1, 2, 3])
        #expect(error.description == "INVALID_ARGUMENT: name is required (name: required)")
    }

    /// What a server appends for every call answered OK (without an `RPCError`): PROTOCOL.md's
    /// STATUS payload with code 0, an empty message, no details and no trailers.
    @Test func theOKPayloadIsFourZeroBytesThatParseAsOK() throws {
        #expect(CallStatus.okPayload == [0, 0, 0, 0])
        let (status, message) = try CallStatus.parse(CallStatus.okPayload[...])
        #expect(status == CallStatus.ok && message.isEmpty)
    }

    @Test func aLongStatusMessageIsCutAtACharacterBoundaryToFitTheSmallestFrame() throws {
        // 3 000 two-byte characters: the 4 KiB cut would fall inside one of them.
        let long = String(repeating: "é", count: 3_000) + "!"
        var payload: [UInt8] = []
        CallStatus(error: RPCError(.internalError, long)).write(into: &payload)
        let (status, _) = try CallStatus.parse(payload[...])
        #expect(status.error.message == String(repeating: "é", count: 2_048))
        #expect(payload.count < 16 * 1024)
        let goAway = try GoAway(payload: GoAway(code: .unavailable, message: long).frame().dropFirst(FrameHeader.size))
        #expect(goAway.message == String(repeating: "é", count: 2_048))
    }

    @Test func helloFramesRoundTrip() throws {
        let client = ClientHello(versions: [1, 2], initialWindow: 65_536, maxFrameSize: 1 << 22, name: "ctl")
        let server = ServerHello(version: 1, maxFrameSize: 1 << 22, maxConcurrentCalls: 100, initialWindow: 262_144,
                                 serverName: "customerd", serverVersion: "1.0.0")
        for (frame, check) in [(client.frame(), { (p: ArraySlice<UInt8>) in try ClientHello(payload: p) == client }),
                               (server.frame(), { (p: ArraySlice<UInt8>) in try ServerHello(payload: p) == server })] {
            var reader = FrameReader(maxFrameSize: 1024)
            reader.append(frame)
            guard case .frame(let header, let range) = try reader.next() else {
                Issue.record("no frame")
                continue
            }
            #expect(header.type == .hello)
            #expect(try check(reader.payload(in: range)))
        }
        #expect(Handshake.chooseVersion(offered: [1, 2]) == 1)
        #expect(Handshake.chooseVersion(offered: [2, 3]) == nil)
    }

    /// A frame still arriving is reported by its header (what the server charges to its peer's
    /// input budget); skipped, its payload is dropped as it arrives, split anywhere, and the frame
    /// after it comes out whole.
    @Test func aPendingFrameCanBeSkippedAndTheStreamStaysInSync() throws {
        var reader = FrameReader(maxFrameSize: 64 * 1024)
        let large = FrameBuilder.frame(.message, flags: .hasMessage, streamID: 3) {
            $0.append(contentsOf: [UInt8](repeating: 0xAB, count: 40_000))
        }
        let after = FrameBuilder.frame(.ping, streamID: 0) { $0.append(contentsOf: [1, 2, 3, 4, 5, 6, 7, 8]) }
        #expect(reader.pendingHeader == nil)
        reader.append(large.prefix(5))
        #expect(reader.pendingHeader == nil, "not a whole header yet")
        reader.append(large[5..<1000])
        #expect(try reader.next() == nil)
        let header = try #require(reader.pendingHeader)
        #expect(header.type == .message && header.streamID == 3 && header.payloadLength == 40_000)
        #expect(reader.skipPendingFrame() == header)
        #expect(reader.pendingHeader == nil && reader.skipPendingFrame() == nil)
        var rest = large[1000...] + after
        while !rest.isEmpty {
            reader.append(rest.prefix(777))
            rest = rest.dropFirst(777)
        }
        guard case .frame(let next, let range) = try #require(try reader.next()) else {
            Issue.record("expected the PING after the skipped frame")
            return
        }
        #expect(next.type == .ping && Array(reader.payload(in: range)) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(try reader.next() == nil)
    }
}

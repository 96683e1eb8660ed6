import BinaryCoding
import CustomerAPI
import CustomerServer
import Foundation
import Glibc
import RPCCore
@_spi(Fuzzing) import RPCTransport

/// Fuzz target (g): the streaming methods, as any caller, ended any way a client can end a call.
/// A seeded server of its own (`HandlerFuzzTarget.seeded`, its database apart from the `handlers`
/// target's, so nothing else moves it) serves one new in-process connection per input.
///
/// Input: one byte choosing the method (`methods`), one choosing the caller (low 3 bits: `Role`),
/// the ending (bits 3 to 5: `Ending`), an idempotency key (bit 6) and whether a client stream's
/// first message travels in its CALL_START (bit 7); one byte, the *point*: how many messages a client
/// stream sends before its ending, or how many a server stream reads before it; then the messages,
/// each a big-endian u16 length and that many bytes (the last one takes what is left). A server
/// stream's request is the first message (empty when there is none); it sends no other.
///
/// Findings: a trap; a call that must answer and does not (a STATUS after END_STREAM, or after a
/// server stream's half-close; the connection's end after a client stream's half-close of the
/// socket; a call after a CANCEL on the same connection); a status no refusal is documented with
/// (`UNKNOWN`, `INTERNAL`, `DATA_LOSS`); a write by any call but an import or upload answered OK
/// (the change feed's last sequence moved: every write of a customer, file or record adds to the
/// history it is read from), which covers an import or upload cancelled, dropped or refused; a
/// database whose quick_check fails (every `integrityCheckInterval` inputs).
final class StreamFuzzTarget: @unchecked Sendable {   // `feed` and `inputsRun` are only touched under `lock`
    typealias Role = HandlerFuzzTarget.Role

    /// How the client ends its side of the call after the point.
    enum Ending: UInt8, CaseIterable {
        /// END_STREAM on the last message sent (a bare END_STREAM when none is): a STATUS is due.
        case endStream
        /// A bare END_STREAM MESSAGE after the last message (ignored on a server stream): a STATUS is due.
        case bareEndStream
        /// CANCEL: no STATUS is due, and the connection serves the next call.
        case cancel
        /// The connection closed both ways.
        case drop
        /// `shutdown(SHUT_WR)`: a server stream still answers; a client stream without END_STREAM is
        /// cancelled; either way the server then closes the connection.
        case halfCloseSocket
        /// The first half of one more frame, then the connection closed.
        case truncatedFrame
    }

    /// The client- and server-streaming methods of the API.
    static let methods: [MethodDescriptor] = [
        CustomerService.importCustomers, FileService.uploadFile,
        CustomerService.exportCustomers.descriptor, CustomerService.streamCustomers.descriptor,
        ChangeFeedService.watchChanges.descriptor, ChangeFeedService.snapshotCustomers.descriptor,
        FileService.downloadFile.descriptor, ContactService.streamMailingList.descriptor,
    ]
    static let integrityCheckInterval = 64

    private let server: HandlerFuzzTarget
    private let lock = NSLock()
    /// The administrator's connection that reads the change feed's bounds between inputs.
    private var feed: FuzzCallConnection
    private var inputsRun = 0

    private init(server: HandlerFuzzTarget) {
        self.server = server
        feed = server.open(as: .administrator)
    }

    /// The server's database; removed when the process exits.
    static let directory = "/tmp/cc-fuzz-streams-\(getpid())"

    /// The seeded server, once per process (started on first use).
    static let shared: StreamFuzzTarget = {
        atexit { try? FileManager.default.removeItem(atPath: StreamFuzzTarget.directory) }
        return StreamFuzzTarget(server: HandlerFuzzTarget.seeded(in: directory))
    }()

    static func run(_ input: UnsafeRawBufferPointer) {
        _ = shared.call(input)
    }

    /// The input that calls `method` as `role` with `messages`, ending as `ending` after `point` of them.
    static func input(method: MethodDescriptor, role: Role, ending: Ending, point: UInt8 = .max,
                      idempotencyKey: Bool = false, firstInCallStart: Bool = false, messages: [[UInt8]]) -> [UInt8] {
        let index = methods.firstIndex(of: method) ?? 0
        let flags = UInt8(role.rawValue) | ending.rawValue << 3 | (idempotencyKey ? 0x40 : 0) | (firstInCallStart ? 0x80 : 0)
        return [UInt8(truncatingIfNeeded: index), flags, point] + messages.flatMap { message in
            [UInt8(truncatingIfNeeded: message.count >> 8), UInt8(truncatingIfNeeded: message.count)] + message
        }
    }

    /// Makes the call the input describes; returns its status when one came (nil also for an input
    /// too short to name a call). Traps on a finding, so that libFuzzer keeps the input.
    func call(_ input: UnsafeRawBufferPointer) -> RPCError? {
        guard input.count >= 3 else { return nil }
        let method = Self.methods[Int(input[0]) % Self.methods.count]
        let role = Role(rawValue: Int(input[1] & 7)) ?? .administrator
        let ending = Ending(rawValue: (input[1] >> 3 & 7) % UInt8(Ending.allCases.count)) ?? .endStream
        var metadata: [(String, String)] = []
        if role == .serviceActingForReadOnly { metadata.append((ActingFor.metadataKey, "rita")) }
        if input[1] & 0x40 != 0 { metadata.append((IdempotencyKey.metadataKey, "fuzz-stream")) }
        let messages = Self.messages(in: input.dropFirst(3))
        lock.lock()
        defer { lock.unlock() }
        let before = lastSequence()
        var connection = server.open(as: role)
        defer { connection.close() }
        let call = "\(method.fullName) as \(role) ending \(ending)"
        let outcome: FuzzCallConnection.Ending?
        if method.kind == .clientStreaming {
            outcome = clientStream(method, on: &connection, metadata: metadata, messages: messages, point: Int(input[2]),
                                   firstInCallStart: input[1] & 0x80 != 0, ending: ending, call: call)
        } else {
            outcome = serverStream(method, on: &connection, metadata: metadata, request: messages.first ?? [],
                                   point: Int(input[2]), ending: ending, call: call)
        }
        var status: RPCError?
        var wrote = false
        if case .status(let error, let response)? = outcome {
            status = error
            if let error, HandlerFuzzTarget.undocumented.contains(error.code) {
                fatalError("\(call): undocumented refusal \(error.code): \(error.message)")
            }
            wrote = (error?.code ?? .ok) == .ok && Self.mayHaveWritten(method, response: response)
        }
        let after = lastSequence()
        if !wrote && after != before {
            fatalError("\(call): the change feed moved from \(before) to \(after), status \(String(describing: status))")
        }
        inputsRun += 1
        if inputsRun % Self.integrityCheckInterval == 0 {
            do { try server.checkIntegrity() } catch {
                fatalError("the database is damaged after \(inputsRun) inputs: \(error)")
            }
        }
        return status
    }

    /// The messages of an input: each a u16 length and its bytes, the last one what is left.
    private static func messages(in bytes: UnsafeRawBufferPointer.SubSequence) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        var rest = bytes[...]
        while rest.count >= 2 {
            let length = Int(rest[rest.startIndex]) << 8 | Int(rest[rest.startIndex + 1])
            rest = rest.dropFirst(2)
            messages.append(Array(rest.prefix(length)))
            rest = rest.dropFirst(length)
        }
        return messages
    }

    /// Whether an OK answer of `method` may have written: an upload kept a file; an import that
    /// created customers (a dry run, and a keyed import answered from its first run, created none).
    private static func mayHaveWritten(_ method: MethodDescriptor, response: [UInt8]) -> Bool {
        switch method.fullName {
        case FileService.uploadFile.fullName: return true
        case CustomerService.importCustomers.fullName:
            guard let answer = try? BinaryDecoder().decode(ImportCustomersResponse.self, from: response) else {
                fatalError("an OK import answered what does not decode as ImportCustomersResponse: \(response)")
            }
            return answer.imported > 0
        default: return false
        }
    }

    /// A client stream: CALL_START (with the first message when `firstInCallStart`), then the
    /// messages up to `point`, then `ending`. nil when no answer is due and none was read.
    private func clientStream(_ method: MethodDescriptor, on connection: inout FuzzCallConnection, metadata: [(String, String)],
                              messages: [[UInt8]], point: Int, firstInCallStart: Bool, ending: Ending,
                              call: String) -> FuzzCallConnection.Ending? {
        let streamID = connection.newStreamID()
        let sent = Array(messages.prefix(point))
        let ends = ending == .endStream
        var frames: [UInt8] = []
        FrameBuilder.append(.callStart, flags: firstInCallStart && !sent.isEmpty ? (ends && sent.count == 1 ? [.hasMessage, .endStream] : .hasMessage)
                                : (ends && sent.isEmpty ? .endStream : []), streamID: streamID, to: &frames) { payload in
            CallStartHead(timeoutMicroseconds: 30_000_000, method: method.fullName, metadata: Metadata(metadata)).write(into: &payload)
            if firstInCallStart, let first = sent.first { payload.append(contentsOf: first) }
        }
        for (index, message) in sent.enumerated() where !(firstInCallStart && index == 0) {
            FrameBuilder.append(.message, flags: ends && index == sent.count - 1 ? [.hasMessage, .endStream] : .hasMessage,
                                streamID: streamID, to: &frames) { $0.append(contentsOf: message) }
        }
        do {
            try connection.send(frames)
            return try end(streamID, on: &connection, ending: ending, call: call, clientStreaming: true)
        } catch {
            fatalError("\(call): the connection broke while the client sent: \(error)")
        }
    }

    /// A server stream: its request in CALL_START; reads up to `point` messages, then `ending`.
    private func serverStream(_ method: MethodDescriptor, on connection: inout FuzzCallConnection, metadata: [(String, String)],
                              request: [UInt8], point: Int, ending: Ending, call: String) -> FuzzCallConnection.Ending? {
        let streamID = connection.newStreamID()
        let timeout = FuzzCallConnection.timeoutMicroseconds(for: method.fullName)
        do {
            try connection.send(WireFuzzing.callStart(method: method.fullName, message: request, streamID: streamID,
                                                      metadata: metadata, timeoutMicroseconds: timeout))
            switch ending {
            case .endStream, .bareEndStream, .halfCloseSocket:
                return try end(streamID, on: &connection, ending: ending, call: call, clientStreaming: false)
            case .cancel, .drop, .truncatedFrame:
                let read = try connection.awaitEnd(of: streamID, stopAfterMessages: point % 8)
                if case .status = read { return read }
                guard case .stopped = read else { fatalError("\(call): no answer: \(read)") }
                return try end(streamID, on: &connection, ending: ending, call: call, clientStreaming: false)
            }
        } catch {
            fatalError("\(call): the connection broke: \(error)")
        }
    }

    /// Ends the client's side as `ending` says and reads what is then due.
    private func end(_ streamID: UInt32, on connection: inout FuzzCallConnection, ending: Ending, call: String,
                     clientStreaming: Bool) throws -> FuzzCallConnection.Ending? {
        switch ending {
        case .endStream, .bareEndStream:
            if ending == .bareEndStream {
                try connection.send(FrameBuilder.frame(.message, flags: .endStream, streamID: streamID))
            }
            let read = try connection.awaitEnd(of: streamID)
            guard case .status = read else { fatalError("\(call): no answer: \(read)") }
            return read
        case .cancel:
            try connection.send(FrameBuilder.frame(.cancel, streamID: streamID))
            // The next call on the connection is answered (the cancelled one's STATUS may have crossed the CANCEL).
            guard case .status = connection.unary(method: ChangeFeedService.getFeedBounds.descriptor.fullName, message: [],
                                                   timeoutMicroseconds: 30_000_000) else {
                fatalError("\(call): after the CANCEL the connection answered no other call")
            }
            return nil
        case .drop:
            return nil
        case .halfCloseSocket:
            connection.halfClose()
            if !clientStreaming {
                let read = try connection.awaitEnd(of: streamID)
                guard case .status = read else { fatalError("\(call): no answer: \(read)") }
                return read
            }
            guard connection.readUntilClosed() else {
                fatalError("\(call): after the client's end of input the server did not close the connection")
            }
            return nil
        case .truncatedFrame:
            let frame = FrameBuilder.frame(.message, flags: .hasMessage, streamID: streamID) { $0.append(contentsOf: [0x0A, 0x00]) }
            try connection.send(Array(frame.prefix(frame.count / 2)))
            return nil
        }
    }

    /// The change feed's newest sequence number, read as the administrator.
    private func lastSequence() -> Int64 {
        if feed.isWorn {
            feed.close()
            feed = server.open(as: .administrator)
        }
        let ending = feed.unary(method: ChangeFeedService.getFeedBounds.descriptor.fullName, message: [],
                                timeoutMicroseconds: 30_000_000)
        guard case .status(let error, let response) = ending, (error?.code ?? .ok) == .ok,
              let bounds = try? BinaryDecoder().decode(FeedBoundsResponse.self, from: response) else {
            fatalError("cannot read the change feed's bounds: \(ending)")
        }
        return bounds.last
    }

    /// The seeds: valid imports (rows, options, a bad row, continue-on-error, a dry run, a key) and
    /// uploads, and a request of every server stream, each as several callers and with every ending.
    static func seeds() -> [[UInt8]] {
        func encoded<T: Encodable>(_ value: T) -> [UInt8] { (try? BinaryEncoder().encode(value)) ?? [] }
        func row(_ number: Int64, _ name: String, vat: String? = nil) -> CustomerRecord {
            CustomerRecord(fields: CustomerFields(number: number, name: name, vatNumber: vat, country: "FI"),
                           address: AddressFields(street1: "Katu 1", postalCode: "00100", city: "Helsinki", country: "FI"),
                           contact: ContactFields(firstName: "Aino", lastName: "Virtanen", email: "aino@example.com"))
        }
        let importStreams: [[[UInt8]]] = [
            [encoded(ImportCustomersMessage(options: ImportOptions(), rows: [row(5001, "Streamed Oy")])),
             encoded(ImportCustomersMessage(rows: [row(5002, "Streamed Two Oy", vat: "FI01120389")]))],
            [encoded(ImportCustomersMessage(options: ImportOptions(continueOnError: true),
                                            rows: [row(5003, "Good Oy"), row(-1, "")]))],
            [encoded(ImportCustomersMessage(options: ImportOptions(dryRun: true), rows: [row(5004, "Dry Oy")]))],
            [encoded(ImportCustomersMessage(rows: [row(5005, "Late Options Oy")])),
             encoded(ImportCustomersMessage(options: ImportOptions(), rows: []))],
        ]
        let content = Array("hello, fuzz".utf8)
        let header = UploadFileMessage.Header(customerId: 1, name: "fuzz.txt", size: Int64(content.count),
                                              sha256: "f7faf4de6832b005c06e26d7f1ba87d3eb9ed24029908e942a6e72a9d92c9938")
        let uploadStreams: [[[UInt8]]] = [
            [encoded(UploadFileMessage(header: header)), encoded(UploadFileMessage(data: Data(content.prefix(5)))),
             encoded(UploadFileMessage(data: Data(content.dropFirst(5))))],
            [encoded(UploadFileMessage(header: header)), encoded(UploadFileMessage(data: Data(content.prefix(3))))],
        ]
        let serverRequests: [(MethodDescriptor, [UInt8])] = [
            (CustomerService.exportCustomers.descriptor, encoded(StreamCustomersRequest())),
            (CustomerService.streamCustomers.descriptor, encoded(StreamCustomersRequest(query: CustomerQuery(status: .all)))),
            (ChangeFeedService.watchChanges.descriptor, encoded(WatchChangesRequest(after: 0))),
            (ChangeFeedService.snapshotCustomers.descriptor, encoded(StreamCustomersRequest())),
            (FileService.downloadFile.descriptor, encoded(FileIDRequest(id: 1))),
            (ContactService.streamMailingList.descriptor, encoded(MailingListRequest())),
        ]
        var seeds: [[UInt8]] = []
        for (index, ending) in Ending.allCases.enumerated() {
            for (number, messages) in importStreams.enumerated() {
                seeds.append(input(method: CustomerService.importCustomers, role: number == 0 ? .administrator : .sales,
                                   ending: ending, point: ending == .endStream ? .max : UInt8(index % 2 + 1),
                                   idempotencyKey: number == 0 && index % 2 == 0, firstInCallStart: number % 2 == 1, messages: messages))
            }
            for messages in uploadStreams {
                seeds.append(input(method: FileService.uploadFile, role: .consultant, ending: ending, messages: messages))
            }
            for (method, request) in serverRequests {
                seeds.append(input(method: method, role: Role(rawValue: index % Role.allCases.count) ?? .administrator,
                                   ending: ending, point: 1, messages: [request]))
            }
        }
        return seeds
    }
}

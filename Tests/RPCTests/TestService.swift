import Foundation
import RPCClient
import RPCCore
import RPCServing
import RPCTransport

struct EchoRequest: Codable, Sendable, Equatable {
    var text: String
    var padding: [UInt8] = []
    enum CodingKeys: Int, CodingKey {
        case text = 1
        case padding = 2
    }
}

struct EchoResponse: Codable, Sendable, Equatable {
    var text: String
    enum CodingKeys: Int, CodingKey {
        case text = 1
    }
}

struct Number: Codable, Sendable, Equatable {
    var value: Int64
    enum CodingKeys: Int, CodingKey {
        case value = 1
    }
}

struct PeerResponse: Codable, Sendable, Equatable {
    var uid: UInt32
    var gid: UInt32
    var pid: Int32
    enum CodingKeys: Int, CodingKey {
        case uid = 1
        case gid = 2
        case pid = 3
    }
}

struct SomeDomainFailure: Error {}

/// A domain error whose status keeps its detail from the caller: the detail is only in the cause.
struct DiskFailure: RPCErrorConvertible, CustomStringConvertible {
    var description: String { "disk failure: the journal is on fire" }
    var rpcError: RPCError { RPCError(.internalError, "the disk failed; the server log has the cause", cause: self) }
}

/// `test.v1.Test`: the behaviours the tests need, each reporting to a ``Probe``.
struct TestService: RPCService {
    static let service = "test.v1.Test"
    static let echo = MethodDescriptor(service: service, method: "Echo", kind: .unary)
    static let slowEcho = MethodDescriptor(service: service, method: "SlowEcho", kind: .unary)
    /// SlowEcho declared as a method that may wait long: never run in front of calls read behind it.
    static let slowWrite = MethodDescriptor(service: service, method: "SlowWrite", kind: .unary, mayWaitLong: true)
    /// Answers `value` letters (at most 1 MiB): a small request with a large answer.
    static let fill = MethodDescriptor(service: service, method: "Fill", kind: .unary)
    /// Takes no client-stream message until the test records "release stall", then counts them.
    static let stall = MethodDescriptor(service: service, method: "Stall", kind: .clientStreaming)
    static let waitForCancel = MethodDescriptor(service: service, method: "WaitForCancel", kind: .unary)
    /// Takes its answer (`ServerContext.claimAnswer`) first, then answers once the test says so.
    static let claimedAnswer = MethodDescriptor(service: service, method: "ClaimedAnswer", kind: .unary)
    /// Answers later: its handler hands the answer to the probe (``Probe/holdAnswer(_:)``) and
    /// returns; "drop" drops it instead.
    static let laterEcho = MethodDescriptor(service: service, method: "LaterEcho", kind: .unary)
    /// Answers at once from its handler, then goes on until the test records "release answered"
    /// (as a group commit's leader answers its group, itself among them, before it returns), and
    /// records "answered first returned".
    static let answerFirst = MethodDescriptor(service: service, method: "AnswerFirst", kind: .unary)
    static let fail = MethodDescriptor(service: service, method: "Fail", kind: .unary)
    static let failWithCause = MethodDescriptor(service: service, method: "FailWithCause", kind: .unary)
    static let whoAmI = MethodDescriptor(service: service, method: "WhoAmI", kind: .unary)
    static let count = MethodDescriptor(service: service, method: "Count", kind: .serverStreaming)
    static let sum = MethodDescriptor(service: service, method: "Sum", kind: .clientStreaming)
    /// Reads the client's stream to its end, then answers only once cancelled: a client-streaming
    /// call that stays open whatever the client does, until the server ends it.
    static let holdStream = MethodDescriptor(service: service, method: "HoldStream", kind: .clientStreaming)
    /// Streams `value` copies of ``floodMessage``, then records "flood done".
    static let flood = MethodDescriptor(service: service, method: "Flood", kind: .serverStreaming)
    static let floodMessage = EchoRequest(text: "flood", padding: [UInt8](repeating: 0xF1, count: 16 * 1024))

    let probe: Probe

    /// Waits until the test records `event`, or the call ends. Bounded by `hangGuard`: a test that
    /// fails before releasing the handler must not leave its caller (often an `async let`, awaited
    /// on leaving the test's scope) waiting forever.
    private func waitForRelease(_ event: String, _ context: ServerContext) throws {
        let giveUp = ContinuousClock.now + hangGuard
        while !probe.recorded.contains(event) {
            try context.checkCancellation()
            guard ContinuousClock.now < giveUp else { throw RPCError(.deadlineExceeded, "the test never recorded \(event)") }
            usleep(1000)
        }
    }

    /// Waits until the call is cancelled, bounded by `hangGuard` as ``waitForRelease(_:_:)`` is.
    private func waitForCancellation(_ context: ServerContext) throws {
        let giveUp = ContinuousClock.now + hangGuard
        while !context.isCancelled {
            guard ContinuousClock.now < giveUp else { throw RPCError(.deadlineExceeded, "the call was never cancelled") }
            usleep(1000)
        }
    }

    func register(with router: inout Router) {
        router.registerUnary(Self.echo) { (request: EchoRequest, _) in EchoResponse(text: request.text) }
        for method in [Self.slowEcho, Self.slowWrite] {
            router.registerUnary(method) { (request: EchoRequest, context) in
                // Answers only once the test says so, so "the fast call overtakes it" needs no timing.
                probe.record("slow started")
                try waitForRelease("release slow", context)
                return EchoResponse(text: request.text)
            }
        }
        router.registerUnary(Self.fill) { (request: Number, _) in
            EchoResponse(text: String(repeating: "x", count: Int(min(max(request.value, 0), 1 << 20))))
        }
        router.registerClientStreaming(Self.stall) { (reader: ClientStreamReader<EchoRequest>, context) -> Number in
            try waitForRelease("release stall", context)
            var count: Int64 = 0
            while try reader.next() != nil { count += 1 }
            return Number(value: count)
        }
        router.registerUnary(Self.waitForCancel) { (request: EchoRequest, context) -> EchoResponse in
            probe.record("\(request.text) started")
            try waitForCancellation(context)
            probe.record("\(request.text) saw cancellation")
            return EchoResponse(text: "late answer")
        }
        router.registerUnary(Self.claimedAnswer) { (request: EchoRequest, context) -> EchoResponse in
            do {
                try context.claimAnswer()
            } catch {
                probe.record("claim refused")
                throw error
            }
            probe.record("claimed")
            try waitForRelease("release claimed", context)
            return EchoResponse(text: request.text)
        }
        router.registerUnary(Self.laterEcho, answeringLater: {
            (request: EchoRequest, _, answer: @escaping @Sendable (Result<EchoResponse, any Error>) -> Void) in
            if request.text != "drop" {
                probe.holdAnswer { answer(.success(EchoResponse(text: request.text))) }
            }
            probe.record("\(request.text) handed on")
        })
        router.registerUnary(Self.answerFirst, answeringLater: {
            (request: EchoRequest, context, answer: @escaping @Sendable (Result<EchoResponse, any Error>) -> Void) in
            answer(.success(EchoResponse(text: request.text)))
            // It must not throw once it answered: a call ended meanwhile only stops the wait.
            try? waitForRelease("release answered", context)
            probe.record("answered first returned")
        })
        router.registerUnary(Self.fail) { (_: EchoRequest, _) -> EchoResponse in throw SomeDomainFailure() }
        router.registerUnary(Self.failWithCause) { (_: EchoRequest, _) -> EchoResponse in throw DiskFailure() }
        router.registerUnary(Self.whoAmI) { (_: EchoRequest, context) in
            PeerResponse(uid: context.peer.uid, gid: context.peer.gid, pid: context.peer.pid)
        }
        router.registerServerStreaming(Self.count) { (request: Number, writer: ServerStreamWriter<Number>, _) in
            for value in 0..<request.value { try writer.send(Number(value: value)) }
        }
        router.registerServerStreaming(Self.flood) { (request: Number, writer: ServerStreamWriter<EchoRequest>, _) in
            for _ in 0..<request.value { try writer.send(Self.floodMessage) }
            probe.record("flood done")
        }
        router.registerClientStreaming(Self.holdStream) { (reader: ClientStreamReader<Number>, context) -> Number in
            while try reader.next() != nil {}
            try waitForCancellation(context)
            probe.record("hold ended")
            return Number(value: 0)
        }
        router.registerClientStreaming(Self.sum) { (reader: ClientStreamReader<Number>, context) -> Number in
            probe.record("sum started")
            var total: Int64 = 0
            do {
                while let number = try reader.next() { total += number.value }
            } catch let error as RPCError {
                probe.record("sum ended with \(error.code)")
                throw error
            }
            return Number(value: total)
        }
    }
}

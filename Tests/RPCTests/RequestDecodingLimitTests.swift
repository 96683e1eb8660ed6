import BinaryCoding
import Foundation
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
import TestSupport
import Testing

/// A request's field occurrences and packed elements are capped as the server decodes it (before
/// any handler could refuse it), whatever shape holds them: refused `INVALID_ARGUMENT` in the
/// wire's words, and the connection answers its next call.
@Suite struct RequestDecodingLimitTests {
    static let occurrences = Router.requestOccurrenceLimit
    static let packed = Router.requestPackedElementLimit

    /// Field 1 (`EchoRequest.text`) given `count` times: a one-letter string each, 3 bytes.
    struct RepeatedText: Encodable {
        var texts: [String]
        enum CodingKeys: Int, CodingKey { case texts = 1 }
    }

    /// Field 1 (`text`), then fields 3, 4, … each once, none of which `EchoRequest` knows.
    struct ManyFields: Encodable {
        var count: Int

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: FieldKey.self)
            for number in [1] + Array(3..<(count + 2)) {
                guard let key = FieldKey(intValue: number) else { continue }
                if number == 1 { try container.encode("many", forKey: key) } else { try container.encode(1, forKey: key) }
            }
        }
    }

    /// Numbers, each a nested message: `Tally` answers their sum.
    struct Numbers: Codable, Sendable {
        var numbers: [Number]
        enum CodingKeys: Int, CodingKey { case numbers = 1 }
    }

    /// `test.v1.Limits/Tally`: a request of nested messages.
    struct TallyService: RPCService {
        static let tally = MethodDescriptor(service: "test.v1.Limits", method: "Tally", kind: .unary)

        func register(with router: inout Router) {
            router.registerUnary(Self.tally) { (request: Numbers, _) in
                Number(value: request.numbers.reduce(0) { $0 + $1.value })
            }
        }
    }

    /// Runs `body` against a server with ``TallyService`` too.
    func withServer(_ body: (ClientChannel) async throws -> Void) async throws {
        let server = try TestServer.start(services: [TallyService()])
        let channel = server.channel()
        try await withCleanup {
            try await body(channel)
        } cleanup: {
            channel.close()
            await server.stop()
        }
    }

    /// The call after a refusal is answered.
    func expectAnswered(_ channel: ClientChannel) async throws {
        let after = try await channel.unary(TestService.echo, EchoRequest(text: "after"), as: EchoResponse.self)
        #expect(after.text == "after")
    }

    @Test func oneFieldGivenTooOftenIsRefused() async throws {
        try await withServer { channel in
            let atLimit = try await channel.unary(
                TestService.echo, RepeatedText(texts: Array(repeating: "a", count: Self.occurrences)), as: EchoResponse.self)
            #expect(atLimit.text == "a")
            let error = await rpcError {
                _ = try await channel.unary(
                    TestService.echo, RepeatedText(texts: Array(repeating: "a", count: Self.occurrences + 1)),
                    as: EchoResponse.self)
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message == "cannot decode the request message of test.v1.Test/Echo: field 1 at byte offset "
                + "\(3 * Self.occurrences): more than \(Self.occurrences) field occurrences in the message and the "
                + "messages it nests (the limit)")
            try await expectAnswered(channel)
        }
    }

    @Test func tooManyPackedElementsAreRefused() async throws {
        try await withServer { channel in
            let atLimit = EchoRequest(text: "p", padding: [UInt8](repeating: 7, count: Self.packed))
            #expect(try await channel.unary(TestService.echo, atLimit, as: EchoResponse.self).text == "p")
            let over = EchoRequest(text: "p", padding: [UInt8](repeating: 7, count: Self.packed + 1))
            let error = await rpcError { _ = try await channel.unary(TestService.echo, over, as: EchoResponse.self) }
            #expect(error?.code == .invalidArgument)
            // Field 1 takes 3 bytes, field 2's tag 1 and its length 3: the element past the limit is at 7 + limit.
            #expect(error?.message == "cannot decode the request message of test.v1.Test/Echo: field 2, packed: more "
                + "than \(Self.packed) packed elements in the message and the messages it nests (the limit) at byte "
                + "offset \(7 + Self.packed) (at field 2[\(Self.packed)])")
            try await expectAnswered(channel)
        }
    }

    @Test func manyDifferentUnknownFieldsAreRefused() async throws {
        try await withServer { channel in
            let atLimit = try await channel.unary(TestService.echo, ManyFields(count: Self.occurrences), as: EchoResponse.self)
            #expect(atLimit.text == "many")
            let error = await rpcError {
                _ = try await channel.unary(TestService.echo, ManyFields(count: Self.occurrences + 1), as: EchoResponse.self)
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix("cannot decode the request message of test.v1.Test/Echo: "
                + "field \(Self.occurrences + 2) at byte offset ") == true, "\(String(describing: error))")
            #expect(error?.message.hasSuffix(": more than \(Self.occurrences) field occurrences in the message and "
                + "the messages it nests (the limit)") == true, "\(String(describing: error))")
            try await expectAnswered(channel)
        }
    }

    /// Each nested message counts once in its parent and once for its field.
    @Test func manySmallNestedMessagesAreRefused() async throws {
        try await withServer { channel in
            let half = Self.occurrences / 2
            let atLimit = Numbers(numbers: Array(repeating: Number(value: 1), count: half))
            let sum = try await channel.unary(TallyService.tally, atLimit, as: Number.self)
            #expect(sum.value == Int64(half))
            let over = Numbers(numbers: Array(repeating: Number(value: 1), count: half + 1))
            let error = await rpcError { _ = try await channel.unary(TallyService.tally, over, as: Number.self) }
            #expect(error?.code == .invalidArgument)
            // The parent takes half + 1, then each element 1: the last two elements' fields pass it.
            #expect(error?.message.hasPrefix("cannot decode the request message of test.v1.Limits/Tally: field 1 at "
                + "byte offset ") == true, "\(String(describing: error))")
            #expect(error?.message.hasSuffix("more than \(Self.occurrences) field occurrences in the message and the "
                + "messages it nests (the limit) (at field 1[\(half - 1)])") == true, "\(String(describing: error))")
            try await expectAnswered(channel)
        }
    }
}

import TestSupport
import Glibc
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Testing

/// `RPCError.cause`: what caused an error stays on its side of the connection, where it is logged
/// (server) or can be inspected (client), and never goes over the wire.
@Suite struct ErrorCauseTests {
    @Test func aHandlerErrorThatIsNeitherAnRPCErrorNorConvertibleBecomesTheCauseOfAnInternalError() {
        let error = RPCError.from(handlerError: SomeDomainFailure())
        #expect(error.code == .internalError)
        #expect(error.cause is SomeDomainFailure)
        // What the wire carries decides equality; the cause stays home.
        #expect(error == RPCError(.internalError, "internal error; the server log has the cause"))
    }

    @Test func aConvertedErrorsCauseIsLoggedWithTheReferenceTheCallerGetsAndNeverSent() async throws {
        try await withTestServer { server, channel in
            let error = await rpcError {
                _ = try await channel.unary(TestService.failWithCause, EchoRequest(text: ""), as: EchoResponse.self)
            }
            #expect(error?.code == .internalError)
            let message = error?.message ?? ""
            #expect(message.hasPrefix("the disk failed; the server log has the cause (ref "), "\(message)")
            #expect(error?.cause == nil)
            #expect(!message.contains("journal"))
            let reference = String(message.split(separator: "(ref ").last?.dropLast() ?? "")
            let logged = server.logs.all.filter { $0.contains("ref=\(reference)") }
            #expect(logged.count == 1)
            #expect(logged.first?.contains("the journal is on fire") == true, "\(logged)")
            #expect(logged.first?.contains("method=test.v1.Test/FailWithCause") == true, "\(logged)")
        }
    }

    @Test func aFailedConnectKeepsTheSystemErrorAsItsCause() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let channel = ClientChannel(socketPath: directory.path + "/missing.sock")
        defer { channel.close() }
        let error = await rpcError { _ = try await channel.unary(TestService.echo, EchoRequest(text: ""), as: EchoResponse.self) }
        #expect(error?.code == .unavailable)
        #expect((error?.cause as? IOError)?.errno == ENOENT, "\(String(describing: error?.cause))")
    }
}

import TestSupport
import Foundation
import ServiceLog
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Testing

/// Keeps Protocol/PROTOCOL.md honest: its walk-through bytes are what this implementation sends and
/// what a real server answers, byte for byte.
@Suite struct ProtocolDocumentTests {
    /// The `C>` and `S>` bytes of the walk-through, in order, comments stripped.
    static func walkthrough() throws -> (client: [UInt8], server: [UInt8]) {
        let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/PROTOCOL.md")
        let text = try String(contentsOf: document, encoding: .utf8)
        var client: [UInt8] = []
        var server: [UInt8] = []
        for line in text.split(separator: "\n") where line.hasPrefix("C> ") || line.hasPrefix("S> ") {
            let hex = line.dropFirst(3).split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let bytes = try hex.split(separator: " ").map { token in
                guard let byte = UInt8(token, radix: 16) else { throw RPCError(.dataLoss, "bad hex \(token) in PROTOCOL.md") }
                return byte
            }
            if line.hasPrefix("C> ") { client += bytes } else { server += bytes }
        }
        return (client, server)
    }

    @Test func theWalkthroughIsWhatTheImplementationBuilds() throws {
        let (client, server) = try Self.walkthrough()
        let configuration = ClientConfiguration()
        var expectedClient = Handshake.magic + ClientHello(
            versions: [1], initialWindow: UInt32(configuration.initialStreamWindow),
            maxFrameSize: UInt32(configuration.maxFrameSize), name: configuration.clientName).frame()
        ClientChannel.appendCallStart(RPCHealth.Check.descriptor, options: CallOptions(), streamID: 1,
                                      timeoutMicroseconds: 5_000_000, request: [0x0A, 0x00], to: &expectedClient)
        #expect(client == expectedClient)
        #expect(server.count == 40 + 16)
    }

    @Test func aRealServerAnswersTheWalkthroughByteForByte() async throws {
        let (client, server) = try Self.walkthrough()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var configuration = ServerConfiguration(socketPath: directory.socketPath)
        configuration.serverName = "customerd"
        configuration.serverVersion = "1.0.0"
        let rpcServer = RPCServer(configuration: configuration, services: [], logger: LogCapture().logger)
        try rpcServer.start()
        var answer: [UInt8] = []
        do {
            let raw = try RawConnection(path: directory.socketPath, handshake: nil)
            defer { raw.close() }
            let helloEnd = 4 + FrameHeader.size + 22
            try raw.write(Array(client[..<helloEnd]))
            if let (header, payload) = try await raw.readFrame() {
                header.write(into: &answer)
                answer += payload
            }
            try raw.write(Array(client[helloEnd...]))
            if let (header, payload) = try await raw.readFrame() {
                header.write(into: &answer)
                answer += payload
            }
        } catch {
            await rpcServer.shutdown()
            throw error
        }
        await rpcServer.shutdown()
        #expect(answer == server)
    }
}

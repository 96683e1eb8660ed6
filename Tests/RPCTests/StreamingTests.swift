@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import TestSupport
import Testing

@Suite struct StreamingTests {
    @Test func aServerStreamOfOneHundredThousandMessagesArrivesCompleteAndInOrder() async throws {
        try await withTestServer { _, channel in
            var expected: Int64 = 0
            for try await number in channel.serverStreaming(TestService.count, Number(value: 100_000), as: Number.self) {
                #expect(number.value == expected)
                if number.value != expected { break }
                expected += 1
            }
            #expect(expected == 100_000)
        }
    }

    @Test func anEmptyServerStreamEndsAtOnce() async throws {
        try await withTestServer { _, channel in
            var count = 0
            for try await _ in channel.serverStreaming(TestService.count, Number(value: 0), as: Number.self) { count += 1 }
            #expect(count == 0)
        }
    }

    @Test func aClientStreamIsSummed() async throws {
        try await withTestServer { _, channel in
            let total = try await channel.clientStreaming(TestService.sum, as: Number.self) { (sender: ClientStreamSender<Number>) in
                for value in 1...20_000 { try await sender.send(Number(value: Int64(value))) }
            }
            #expect(total.value == 20_000 * 20_001 / 2)
        }
    }

    @Test func aFailingProducerCancelsTheCallAndTheServerSeesCancelled() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { server, channel in
            struct ProducerFailure: Error {}
            let error = await rpcError {
                _ = try await channel.clientStreaming(TestService.sum, as: Number.self) { (sender: ClientStreamSender<Number>) in
                    try await sender.send(Number(value: 1))
                    // Cancelled before its handler started, the call would never run it (see HalfCloseTests).
                    #expect(await probe.wait(for: "sum started"))
                    throw ProducerFailure()
                }
            }
            #expect(error?.code == .cancelled)
            // The server counts the call CANCELLED once the CANCEL arrived; its handler may not have
            // run at all (the CANCEL was read before the handler's thread started it), and if it
            // did, it saw the cancellation.
            try await waitUntil("the server to count the call CANCELLED") { server.callsEnded(.cancelled) == 1 }
            #expect(probe.recorded.filter { $0 != "sum started" }.allSatisfy { $0 == "sum ended with CANCELLED" }, "\(probe.recorded)")
        }
    }

    @Test func stoppingEarlyCancelsTheServerStream() async throws {
        try await withTestServer { _, channel in
            var seen = 0
            for try await _ in channel.serverStreaming(TestService.count, Number(value: 1_000_000), as: Number.self) {
                seen += 1
                if seen == 10 { break }
            }
            #expect(seen == 10)
            // The abandoned stream does not hold up the connection.
            let echo = try await channel.unary(TestService.echo, EchoRequest(text: "still here"), as: EchoResponse.self)
            #expect(echo.text == "still here")
        }
    }
}

import Foundation
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import TestSupport
import Testing

@Suite struct UnaryCallTests {
    @Test func unaryRoundTrip() async throws {
        try await withTestServer { _, channel in
            let response = try await channel.unary(TestService.echo, EchoRequest(text: "hello"), as: EchoResponse.self)
            #expect(response == EchoResponse(text: "hello"))
            let again = try await channel.unary(TestService.echo, EchoRequest(text: "again"), as: EchoResponse.self)
            #expect(again.text == "again")
        }
    }

    @Test func aFastCallOvertakesASlowOneOnTheSameConnection() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { _, channel in
            async let slow = channel.unary(TestService.slowEcho, EchoRequest(text: "slow"), as: EchoResponse.self)
            #expect(await probe.wait(for: "slow started"))
            let fast = try await channel.unary(TestService.echo, EchoRequest(text: "fast"), as: EchoResponse.self)
            #expect(fast.text == "fast")
            probe.record("fast answered")
            probe.record("release slow")
            let slowResponse = try await slow
            #expect(slowResponse.text == "slow")
            #expect(probe.recorded.firstIndex(of: "fast answered")! < probe.recorded.firstIndex(of: "release slow")!)
        }
    }

    @Test func unknownMethodIsUnimplementedAndNamesTheMethod() async throws {
        try await withTestServer { _, channel in
            let missing = MethodDescriptor(service: "test.v1.Test", method: "Nope", kind: .unary)
            let error = await rpcError { _ = try await channel.unary(missing, EchoRequest(text: ""), as: EchoResponse.self) }
            #expect(error?.code == .unimplemented)
            #expect(error?.message.contains("test.v1.Test/Nope") == true)
        }
    }

    @Test func aThrownNonRPCErrorBecomesInternalWithAGenericMessage() async throws {
        try await withTestServer { server, channel in
            let error = await rpcError { _ = try await channel.unary(TestService.fail, EchoRequest(text: ""), as: EchoResponse.self) }
            #expect(error?.code == .internalError)
            // The cause stays in the server's log, found there by the reference the caller got.
            let message = error?.message ?? ""
            #expect(message.hasPrefix("internal error; the server log has the cause (ref "), "\(message)")
            let reference = String(message.split(separator: "(ref ").last?.dropLast() ?? "")
            let logged = server.logs.all.filter { $0.contains("ref=\(reference)") }
            #expect(logged.count == 1)
            #expect(logged.first?.contains("SomeDomainFailure") == true)
            #expect(logged.first?.contains("method=test.v1.Test/Fail") == true, "\(logged)")
            // The connection survived: the next call works.
            let next = try await channel.unary(TestService.echo, EchoRequest(text: "ok"), as: EchoResponse.self)
            #expect(next.text == "ok")
        }
    }

    @Test func deadlineExpiryAnswersDeadlineExceededAndTheHandlerSeesIt() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { server, channel in
            // Open the connection first: the 200 ms are the call's, not a handshake's on a loaded
            // machine (a deadline that passes before the call is written never reaches the handler).
            _ = try await channel.unary(TestService.echo, EchoRequest(text: "open"), as: EchoResponse.self)
            let error = await rpcError {
                _ = try await channel.unary(TestService.waitForCancel, EchoRequest(text: "deadline"), as: EchoResponse.self,
                                            options: CallOptions(timeout: .milliseconds(200)))
            }
            #expect(error?.code == .deadlineExceeded)
            try await waitUntil("the server to end the call") { server.callsEndedByDeadline == 1 }
            #expect(await probe.waitIfStarted("deadline started", for: "deadline saw cancellation"))
        }
    }

    /// A handler that took its answer (`claimAnswer`, as an import does before its COMMIT) is
    /// answered by itself even when its deadline passes meanwhile; one whose deadline was answered
    /// first is refused the answer (and undoes its work). One STATUS either way, saying which.
    @Test func aHandlerThatTookItsAnswerIsAnsweredByItselfPastItsDeadline() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            try raw.startUnary(streamID: 1, method: TestService.claimedAnswer, request: EchoRequest(text: "mine"),
                               timeoutMicroseconds: 200_000)
            try await waitUntil("the handler to take its answer or be refused it") {
                probe.recorded.contains("claimed") || probe.recorded.contains("claim refused")
            }
            let claimed = probe.recorded.contains("claimed")
            if claimed {
                // Past the deadline (200 ms from when the server read the call) before the handler answers.
                try await Task.sleep(for: .milliseconds(400))
                probe.record("release claimed")
            }
            let status = try await raw.readStatus()
            #expect(status.streamID == 1)
            #expect(status.error.code == (claimed ? .ok : .deadlineExceeded), "\(status.error)")
            try await waitUntil("the server to count the call") { server.callsEnded(claimed ? .ok : .deadlineExceeded) >= 1 }
            #expect(server.callsEnded(.deadlineExceeded) == (claimed ? 0 : 1))
        }
    }

    @Test func serverAnswersDeadlineExceededItself() async throws {
        // A raw client that never gives up on its own receives the server's DEADLINE_EXCEEDED.
        let probe = Probe()
        try await withTestServer(probe: probe) { server, _ in
            let raw = try RawConnection(path: server.socketPath)
            defer { raw.close() }
            try raw.startUnary(streamID: 1, method: TestService.waitForCancel, request: EchoRequest(text: "raw"),
                               timeoutMicroseconds: 100_000)
            let status = try await raw.readStatus()
            #expect(status.streamID == 1)
            #expect(status.error.code == .deadlineExceeded)
            try await waitUntil("the server to count the call DEADLINE_EXCEEDED") { server.callsEnded(.deadlineExceeded) == 1 }
            #expect(await probe.waitIfStarted("raw started", for: "raw saw cancellation"))
        }
    }

    @Test func cancellingTheTaskCancelsTheCallOnTheServer() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { _, channel in
            let task = Task {
                try await channel.unary(TestService.waitForCancel, EchoRequest(text: "cancel"), as: EchoResponse.self)
            }
            #expect(await probe.wait(for: "cancel started"))
            task.cancel()
            let error = await rpcError { _ = try await task.value }
            #expect(error?.code == .cancelled)
            #expect(await probe.wait(for: "cancel saw cancellation"))
        }
    }

    @Test func anOversizedRequestIsResourceExhaustedAndTheConnectionStillWorks() async throws {
        try await withTestServer(configure: { $0.maxFrameSize = 64 * 1024 }) { _, channel in
            let big = EchoRequest(text: "big", padding: [UInt8](repeating: 7, count: 100 * 1024))
            let error = await rpcError { _ = try await channel.unary(TestService.echo, big, as: EchoResponse.self) }
            #expect(error?.code == .resourceExhausted)
            let after = try await channel.unary(TestService.echo, EchoRequest(text: "after"), as: EchoResponse.self)
            #expect(after.text == "after")
        }
    }

    @Test func callsBeyondTheServersConcurrencyLimitWaitInsteadOfFailing() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe, configure: { $0.maxConcurrentCallsPerConnection = 2 }) { _, channel in
            try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        try await channel.unary(TestService.slowEcho, EchoRequest(text: "\(index)"), as: EchoResponse.self).text
                    }
                }
                #expect(await probe.wait(for: "slow started"))
                probe.record("release slow")
                var answers: Set<String> = []
                for try await text in group { answers.insert(text) }
                #expect(answers == Set((0..<10).map(String.init)))
            }
        }
    }

    @Test func manyConcurrentCallsOnOneConnectionAllComplete() async throws {
        try await withTestServer { _, channel in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        try await channel.unary(TestService.echo, EchoRequest(text: "\(index)"), as: EchoResponse.self).text == "\(index)"
                    }
                }
                for try await matched in group { #expect(matched) }
            }
        }
    }
}

import Glibc
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
import TestSupport
import Testing

/// Per-method counters and latencies in server-info, calls in flight, and the slow-call log line.
@Suite struct CallStatisticsTests {
    @Test(arguments: [UInt64(0), 1, 3, 4, 5, 7, 8, 15, 16, 100, 999, 1_000, 65_535, 1_000_000, 131_071, 131_072, 1 << 40])
    func aBucketsUpperBoundHoldsTheDurationAndIsAtMostAQuarterAbove(_ microseconds: UInt64) {
        let bucket = LatencyHistogram.bucket(of: microseconds)
        #expect(bucket < LatencyHistogram.bucketCount)
        let bound = LatencyHistogram.upperBound(ofBucket: bucket)
        if bucket < LatencyHistogram.bucketCount - 1 {
            #expect(bound >= microseconds)
            #expect(Double(bound) <= Double(microseconds) * 1.25 + 1)
            #expect(LatencyHistogram.bucket(of: bound) == bucket)
            #expect(LatencyHistogram.bucket(of: bound + 1) == bucket + 1)
        }
    }

    @Test func percentilesAreNeverBelowTheTrueValueNorAboveTheLongestCall() {
        var histogram = LatencyHistogram()
        for microseconds in 1...1_000 { histogram.record(microseconds: UInt64(microseconds)) }
        #expect(histogram.total == 1_000)
        #expect(histogram.maxMicroseconds == 1_000)
        for (fraction, exact) in [(0.5, 500.0), (0.9, 900.0), (0.99, 990.0)] {
            let reported = Double(histogram.percentile(fraction))
            #expect(reported >= exact && reported <= exact * 1.25, "p\(fraction): \(reported)")
        }
        #expect(histogram.percentile(1) == 1_000)
        #expect(LatencyHistogram().percentile(0.5) == 0)
    }

    /// The lock-free counters are sized by literals (value generics take no expressions).
    @Test func theCountersHoldEveryStatusCodeAndEveryBucket() {
        #expect(StatusCode.allCases.count == 17)
        #expect(StatusCode.allCases.map { Int($0.rawValue) } == Array(0..<17))
        #expect(LatencyHistogram.bucketCount == 64)
    }

    /// A call's nanoseconds count as whole microseconds, rounded down as its `Duration` was; the
    /// longest a clock could give counts without trapping.
    @Test func aCallsNanosecondsCountInWholeMicroseconds() {
        let statistics = MethodStatistics()
        statistics.record(.ok, nanoseconds: 1_999)
        #expect(statistics.snapshot(method: "m").maxMicroseconds == 1)
        statistics.record(.ok, nanoseconds: .max)
        let snapshot = statistics.snapshot(method: "m")
        #expect(snapshot.maxMicroseconds == UInt64.max / 1_000)
        #expect(snapshot.calls == 2)
    }

    /// Threads recording at once lose no call: no lock, so only the atomics keep the counts.
    @Test func callsRecordedByManyThreadsAtOnceAreAllCounted() async {
        let statistics = MethodStatistics()
        let threads = 4, callsEach = 20_000
        await withTaskGroup(of: Void.self) { group in
            for thread in 0..<threads {
                group.addTask {
                    await onThread {
                        for call in 0..<callsEach {
                            let code: StatusCode = call % 4 == 0 ? .notFound : .ok
                            statistics.record(code, nanoseconds: UInt64(call % 100 + thread * 1_000) * 1_000)
                        }
                    }
                }
            }
        }
        let snapshot = statistics.snapshot(method: "m")
        #expect(snapshot.calls == UInt64(threads * callsEach))
        #expect(snapshot.callsByStatus == [StatusCount(code: .ok, count: UInt64(threads * callsEach * 3 / 4)),
                                           StatusCount(code: .notFound, count: UInt64(threads * callsEach / 4))])
        #expect(snapshot.maxMicroseconds == UInt64((threads - 1) * 1_000 + 99))
    }

    @Test func serverInfoCountsEachMethodsCallsByStatusWithOrderedPercentiles() async throws {
        try await withTestServer { _, channel in
            for _ in 0..<3 { _ = try await channel.unary(TestService.echo, EchoRequest(text: "x"), as: EchoResponse.self) }
            _ = await rpcError { _ = try await channel.unary(TestService.fail, EchoRequest(text: ""), as: EchoResponse.self) }
            let info = try await channel.unary(RPCServerInfo.GetServerInfo.descriptor, ServerInfoRequest(), as: ServerInfoResponse.self)
            let echo = try #require(info.methods.first { $0.method == "test.v1.Test/Echo" })
            #expect(echo.calls == 3)
            #expect(echo.callsByStatus == [StatusCount(code: .ok, count: 3)])
            #expect(echo.errors == 0)
            #expect(echo.p50Microseconds <= echo.p90Microseconds)
            #expect(echo.p90Microseconds <= echo.p99Microseconds)
            #expect(echo.p99Microseconds <= echo.maxMicroseconds)
            let fail = try #require(info.methods.first { $0.method == "test.v1.Test/Fail" })
            #expect(fail.callsByStatus == [StatusCount(code: .internalError, count: 1)])
            #expect(fail.errors == 1)
            // Methods never called are left out; the list is sorted by name.
            #expect(!info.methods.contains { $0.method == "test.v1.Test/Sum" })
            #expect(info.methods.map(\.method) == info.methods.map(\.method).sorted())
        }
    }

    @Test func serverInfoCountsTheCallsInFlight() async throws {
        let probe = Probe()
        try await withTestServer(probe: probe) { _, channel in
            async let slow = channel.unary(TestService.slowEcho, EchoRequest(text: "slow"), as: EchoResponse.self)
            #expect(await probe.wait(for: "slow started"))
            let during = try await channel.unary(RPCServerInfo.GetServerInfo.descriptor, ServerInfoRequest(), as: ServerInfoResponse.self)
            probe.record("release slow")
            _ = try await slow
            let after = try await channel.unary(RPCServerInfo.GetServerInfo.descriptor, ServerInfoRequest(), as: ServerInfoResponse.self)
            // The server-info call itself is in flight while it is answered.
            #expect(during.callsInFlight == 2)
            #expect(after.callsInFlight == 1)
        }
    }

    @Test func aCallOverTheThresholdIsLoggedOnceWithMethodCallerDurationAndStatus() async throws {
        try await withTestServer(configure: { $0.slowCallThreshold = .nanoseconds(1) }) { server, channel in
            _ = await rpcError { _ = try await channel.unary(TestService.fail, EchoRequest(text: ""), as: EchoResponse.self) }
            let lines = server.logs.all.filter { $0.contains("slow call") }
            #expect(lines.count == 1, "\(server.logs.all)")
            let line = try #require(lines.first)
            #expect(line.contains("method=test.v1.Test/Fail"))
            #expect(line.contains("uid=\(getuid())"))
            #expect(line.contains("duration_ms="))
            #expect(line.contains("status=INTERNAL"))
            #expect(line.contains(" warning "))
        }
    }

    /// One user can end hundreds of slow calls a second: past one line per interval they are left
    /// out of the log (the next line says how many) but not out of the method's statistics.
    @Test func slowCallsWithinOneLogIntervalWriteOneLineAndAreAllCounted() async throws {
        try await withTestServer(configure: {
            $0.slowCallThreshold = .nanoseconds(1)
            $0.slowCallLogInterval = .seconds(3_600)
        }) { server, channel in
            for _ in 0..<5 {
                _ = await rpcError { _ = try await channel.unary(TestService.fail, EchoRequest(text: ""), as: EchoResponse.self) }
            }
            let lines = server.logs.all.filter { $0.contains("slow call") && $0.contains("test.v1.Test/Fail") }
            #expect(lines.count == 1, "\(lines)")
            let info = try await channel.unary(RPCServerInfo.GetServerInfo.descriptor, ServerInfoRequest(), as: ServerInfoResponse.self)
            let fail = try #require(info.methods.first { $0.method == "test.v1.Test/Fail" })
            #expect(fail.calls == 5)
        }
    }

    /// A stream lasts as long as its peer keeps it (a watch for hours): past the threshold it is
    /// counted in its method's statistics, not logged, where a unary call of the same server is.
    @Test func streamsPastTheThresholdAreCountedButNotLogged() async throws {
        try await withTestServer(configure: { $0.slowCallThreshold = .nanoseconds(1) }) { server, channel in
            var received = 0
            for try await _ in channel.serverStreaming(TestService.count, Number(value: 3), as: Number.self) { received += 1 }
            let total = try await channel.clientStreaming(TestService.sum, as: Number.self) { (sender: ClientStreamSender<Number>) in
                try await sender.send(Number(value: 2))
                try await sender.send(Number(value: 3))
            }
            #expect(received == 3)
            #expect(total.value == 5)
            _ = await rpcError { _ = try await channel.unary(TestService.fail, EchoRequest(text: ""), as: EchoResponse.self) }
            let lines = server.logs.all.filter { $0.contains("slow call") }
            #expect(lines.count == 1, "\(lines)")
            #expect(lines.allSatisfy { $0.contains("method=test.v1.Test/Fail") }, "\(lines)")
            let info = try await channel.unary(RPCServerInfo.GetServerInfo.descriptor, ServerInfoRequest(), as: ServerInfoResponse.self)
            #expect(info.methods.first { $0.method == "test.v1.Test/Count" }?.calls == 1)
            #expect(info.methods.first { $0.method == "test.v1.Test/Sum" }?.calls == 1)
        }
    }

    @Test func withTheDefaultThresholdFastCallsLogNothing() async throws {
        try await withTestServer { server, channel in
            for _ in 0..<20 { _ = try await channel.unary(TestService.echo, EchoRequest(text: "x"), as: EchoResponse.self) }
            let info = try await channel.unary(RPCServerInfo.GetServerInfo.descriptor, ServerInfoRequest(), as: ServerInfoResponse.self)
            #expect(info.slowCallThresholdMilliseconds == 500)
            let echo = try #require(info.methods.first { $0.method == "test.v1.Test/Echo" })
            // Whatever the machine's load: no call under the threshold gets a line.
            let slowLines = server.logs.all.filter { $0.contains("slow call") }
            if echo.maxMicroseconds < 500_000 {
                #expect(slowLines.isEmpty, "\(slowLines)")
            }
            #expect(server.logs.all.allSatisfy { !$0.contains("Echo") })
        }
    }

    @Test func withoutAThresholdNoCallIsLogged() async throws {
        try await withTestServer(configure: { $0.slowCallThreshold = nil }) { server, channel in
            _ = await rpcError { _ = try await channel.unary(TestService.fail, EchoRequest(text: ""), as: EchoResponse.self) }
            #expect(!server.logs.all.contains { $0.contains("slow call") })
            let info = try await channel.unary(RPCServerInfo.GetServerInfo.descriptor, ServerInfoRequest(), as: ServerInfoResponse.self)
            #expect(info.slowCallThresholdMilliseconds == 0)
        }
    }
}

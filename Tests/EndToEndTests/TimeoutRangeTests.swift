import CustomerClient
import Foundation
import Testing

/// A timeout too long to count in the wire's microseconds is a usage error in customerctl and a
/// saturated deadline in the client library; neither traps.
@Suite struct TimeoutRangeTests {
    @Test func customerctlRefusesATimeoutThatIsNotAPositiveNumberOfSecondsUpToAYear() async throws {
        // 0x10 and 0x1p3 were read as hexadecimal, 16 and 8 seconds (redteam26).
        for value in ["inf", "1e300", "nan", "31536001", "0", "0x10", "0x1p3"] {
            let result = try await runProduct("customerctl", ["--socket", "/tmp/cc-no-such-dir/none.sock", "--timeout", value,
                                                              "customers", "list"])
            #expect(result.status == 64, "--timeout \(value): \(result.stderr)")
            #expect(result.stderr.contains("--timeout takes a positive number of seconds up to 31536000"), "--timeout \(value)")
        }
    }

    @Test func aClientTimeoutOfInt64MaxSecondsIsSentAsTheLongestDeadline() async throws {
        try await withServer { _, client in
            let longest = CallOptions(timeout: .seconds(Int64.max))
            let status = try await client.server.health(options: longest)
            #expect(status == .serving)
        }
    }
}

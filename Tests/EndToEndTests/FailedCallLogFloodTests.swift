import CustomerClient
import Foundation
import Glibc
import ServiceLog
import TestSupport
import Testing

/// A call that fails for a cause the caller cannot see writes a `call failed` line with that cause
/// (about 1.3 KB), and once the store fails every call of a loop fails the same way: each used to
/// write its line, without bound (redteam27's known gap). Each OS user's failed calls now get a few
/// lines an interval; every call is still answered with its reference.
@Suite struct FailedCallLogFloodTests {
    static let calls = 300
    /// Lines let through; an interval no test outlasts, so the count is exact on any machine.
    static let limit = PerUserLogLimit(lines: 5, interval: .seconds(3_600))

    @Test func callsFailingInALoopWriteOnlyTheirUsersLines() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let customer = try await customerWhoseInvoicesCannotBeRead(in: root)

        let log = LogCapture(label: "test-customerd", level: .warning)
        let references = try await withTestServer(
            start: { try TestServer(directory: root, logger: log.logger, configure: { $0.rpc.failedCallLogLimit = Self.limit }) },
            stop: { $0.stopKeepingData() }
        ) { server in
            let client = server.client()
            defer { client.close() }
            var references: [String] = []
            for _ in 0..<Self.calls {
                let error = await #expect(throws: RPCError.self) { _ = try await client.invoices.list(customerID: customer.id) }
                #expect(error?.code == .internalError)
                let message = error?.message ?? ""
                #expect(message.hasPrefix("the store failed; the server log has the cause (ref "), "\(message)")
                references.append(String(message.split(separator: "(ref ").last?.dropLast() ?? ""))
            }
            return references
        }

        let logged = log.all.filter { $0.contains("call failed") }
        #expect(logged.count == Self.limit.lines, "\(logged.count) lines for \(Self.calls) failed calls")
        #expect(logged.allSatisfy {
            $0.contains("method=customer.v1.InvoiceService/ListInvoices ") && $0.contains("uid=\(getuid()) ")
                && $0.contains("no such table: invoices")
        }, "\(logged)")
        // The lines let through are the first calls', each under the reference its caller was given.
        for (line, reference) in zip(logged, references) { #expect(line.contains("ref=\(reference)"), "\(line)") }
        #expect(Set(references).count == Self.calls)
    }
}

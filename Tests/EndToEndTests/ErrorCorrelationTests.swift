import CustomerClient
import Foundation
import ServiceLog
import Synchronization
import TestSupport
import Testing

/// A failure the caller only hears about as "the server log has the cause" is logged once, with
/// the call's method and a reference that the caller's message carries too.
@Suite struct ErrorCorrelationTests {
    @Test func theReferenceInTheCallersMessageFindsTheCauseInTheServersLog() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let customer = try await customerWhoseInvoicesCannotBeRead(in: root)

        let lines = Mutex<[String]>([])
        let logger = Logger(label: "test-customerd", level: .warning, sink: LogSink { line in lines.withLock { $0.append(line) } })
        let error = try await withTestServer(start: { try TestServer(directory: root, logger: logger) },
                                             stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            return await #expect(throws: RPCError.self) { _ = try await client.invoices.list(customerID: customer.id) }
        }

        #expect(error?.code == .internalError)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("the store failed; the server log has the cause (ref "), "\(message)")
        let reference = String(message.split(separator: "(ref ").last?.dropLast() ?? "")
        #expect(reference.count == 16)
        let logged = lines.withLock { $0 }.filter { $0.contains("ref=\(reference)") }
        #expect(logged.count == 1, "\(lines.withLock { $0 })")
        #expect(logged.first?.contains("method=customer.v1.InvoiceService/ListInvoices") == true, "\(logged)")
        #expect(logged.first?.contains("no such table: invoices") == true, "\(logged)")
    }
}

/// A customer created by a server in `root`, which is then stopped and its database's invoices'
/// table renamed: the next server there answers every `ListInvoices` `INTERNAL`, SQLite's "no such
/// table: invoices" the cause only its log holds.
func customerWhoseInvoicesCannotBeRead(in root: URL) async throws -> Customer {
    let (customer, databasePath) = try await withTestServer(start: { try TestServer(directory: root) },
                                                            stop: { $0.stopKeepingData() }) { first in
        let client = first.client()
        defer { client.close() }
        return (try await client.customers.create(CustomerFields(name: "Acme Oy")), first.databasePath)
    }
    try await onThread { try StoreTampering.renameTable("invoices", to: "invoices_elsewhere", databasePath: databasePath) }
    return customer
}

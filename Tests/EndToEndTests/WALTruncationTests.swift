import CustomerClient
import Foundation
import Glibc
import SQLiteEngine
import TestSupport
import Testing

/// The write-ahead log cut short by another process while the server runs (`truncate -s 0
/// customers.sqlite-wal`, by the server's user or root). The creates it held are lost, and SQLite
/// reads them as a short read (SQLITE_IOERR_SHORT_READ). Before (redteam18's known gap), every call
/// from then on was `INTERNAL` "the store failed" while health stayed SERVING and no line told the
/// operator what happened; now the first call that meets it is `DATA_LOSS` naming the cause, every
/// call after it too (writes and reads: what is left is a mix of old and new pages), one
/// `critical` line tells the operator, and health says NOT_SERVING.
@Suite struct WALTruncationTests {
    @Test func aWriteAheadLogCutShortIsDataLossAndTheServerStopsReportingHealthy() async throws {
        let log = LogCapture(label: "test-customerd", level: .warning)
        try await withTestServer(start: { try TestServer(logger: log.logger) }, stop: { $0.stop() }) { server in
            let client = server.client()
            defer { client.close() }
            // A reader of another process's kind holding its snapshot from before the creates: no
            // checkpoint may copy them back into the database file (the start-up's migrations
            // may have queued one), so they are in the log alone when it is cut.
            let path = server.databasePath
            let reader = try await onThread {
                let reader = try SQLiteConnection(path: path, role: .reader, busyTimeoutMilliseconds: 5_000)
                try reader.execute("BEGIN DEFERRED; SELECT count(*) FROM customers")
                return reader
            }
            defer { reader.close() }
            var created: [Int64] = []
            for name in ["First Oy", "Second Oy", "Third Oy"] {
                created.append(try await client.customers.create(CustomerFields(name: name)).id)
            }
            #expect(truncate(server.databasePath + "-wal", 0) == 0, "truncate: errno \(errno)")

            let message = "the database's write-ahead log \(server.databasePath)-wal was cut short while the server ran"
            for id in created {
                do {
                    let customer = try await client.customers.get(id: id)
                    Issue.record("customer \(id) read back after its log was cut: \(customer.name)")
                } catch let error as RPCError {
                    #expect(error.code == .dataLoss, "\(error)")
                    #expect(error.message.contains(message), "\(error)")
                }
            }
            do {
                let after = try await client.customers.create(CustomerFields(name: "After Oy"))
                Issue.record("a create after the log was cut was acknowledged: \(after.id)")
            } catch let error as RPCError {
                #expect(error.code == .dataLoss, "\(error)")
            }

            #expect(try await healthOnceNotServing(client) == .notServing)
            let lines = log.all.filter { $0.contains("database files gone or damaged") }
            #expect(lines.count == 1, "\(log.all)")
            #expect(lines.first?.contains(message) == true, "\(lines)")
        }
    }
}

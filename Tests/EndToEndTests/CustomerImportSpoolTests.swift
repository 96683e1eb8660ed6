import CustomerClient
import Foundation
import TestSupport
import Testing

/// An import is spooled until its client ends the stream, and only then written: a client that
/// is slow or silent mid-stream holds up no other write.
@Suite struct CustomerImportSpoolTests {
    /// Bounds every call of these tests, so a writer held by the import fails the test instead of
    /// hanging it; as long as any other wait of the tests, since a loaded machine (load 24, a
    /// helper's parallel run) took an import of ten rows past 60 s.
    static let bound = CallOptions(timeout: .seconds(testWaitLimit))

    @Test func aCreateFromAnotherConnectionCompletesWhileAnImportClientIsMidStreamAndSilent() async throws {
        try await withServer { server, client in
            let importer = server.client()
            defer { importer.close() }
            let (sent, sentSignal) = AsyncStream.makeStream(of: Void.self)
            let (gate, release) = AsyncStream.makeStream(of: Void.self)
            let importing = Task {
                defer { sentSignal.finish() }
                return try await importer.customers.importRecords(ImportOptions(), callOptions: Self.bound) { send in
                    try await send([CustomerRecord(line: 2, fields: CustomerFields(name: "Before the pause Oy"))])
                    sentSignal.yield()
                    // Silent mid-stream until the create below has its answer.
                    for await _ in gate { break }
                    try await send([CustomerRecord(line: 3, fields: CustomerFields(name: "After the pause Oy"))])
                }
            }
            // Ends when the first batch is sent, or when the import ended without sending it.
            for await _ in sent { break }

            let created: Result<Customer, any Error>
            do {
                created = .success(try await client.customers.create(CustomerFields(name: "Meanwhile Oy"), options: Self.bound))
            } catch {
                created = .failure(error)
            }
            release.finish()
            let imported = try await importing.value

            #expect(try created.get().name == "Meanwhile Oy", "a create waited for the silent import's client")
            #expect(imported.imported == 2)
            let names = try await client.customers.list(CustomerQuery(status: .all), limit: 10, options: Self.bound)
                .customers.map(\.name).sorted()
            #expect(names == ["After the pause Oy", "Before the pause Oy", "Meanwhile Oy"])
        }
    }

    /// An import sending more than the server's `maxImportSize` is refused RESOURCE_EXHAUSTED naming
    /// the limit, writes nothing, and the server goes on serving (an import under it is written).
    @Test func anImportPastTheServersSizeLimitIsRefusedAndWritesNothing() async throws {
        let limit: Int64 = 4096
        try await withTestServer(start: { try TestServer { $0.maxImportSize = limit } }, stop: { $0.stop() }) { server in
            let client = server.client()
            defer { client.close() }
            let rows = (0..<400).map { CustomerRecord(line: $0 + 2, fields: CustomerFields(name: "Spooled Oy \($0)")) }
            var refusal: RPCError?
            do {
                _ = try await client.customers.importRecords(ImportOptions(), callOptions: Self.bound) { send in
                    for batch in stride(from: 0, to: rows.count, by: 10) {
                        try await send(Array(rows[batch..<min(batch + 10, rows.count)]))
                    }
                }
            } catch let error as RPCError {
                refusal = error
            }
            #expect(refusal?.code == .resourceExhausted, "\(String(describing: refusal))")
            #expect(refusal?.message.contains("limit of \(limit) bytes") == true, "\(String(describing: refusal))")
            #expect(try await client.customers.list(CustomerQuery(status: .all), limit: 10, options: Self.bound).customers.isEmpty)

            let small = try await client.customers.importRecords(ImportOptions(), callOptions: Self.bound) { send in
                try await send(Array(rows.prefix(3)))
            }
            #expect(small.imported == 3)
        }
    }

    /// Two imports at once, each within the server's limit alone but not together: the one whose
    /// message would pass the limit for all imports in progress is refused RESOURCE_EXHAUSTED
    /// saying so and writes nothing; the other is written, and once it ended an import as large fits.
    @Test func importsInProgressAtOnceShareTheServersLimit() async throws {
        let limit: Int64 = 4096
        try await withTestServer(start: { try TestServer { $0.maxImportSize = limit } }, stop: { $0.stop() }) { server in
            let client = server.client()
            defer { client.close() }
            func rows(_ prefix: String) -> [CustomerRecord] {
                (0..<10).map { CustomerRecord(line: $0 + 2, fields: CustomerFields(name: "\(prefix) Oy \($0)",
                                                                                  description: String(repeating: "d", count: 200))) }
            }
            let importer = server.client()
            defer { importer.close() }
            let (gate, release) = AsyncStream.makeStream(of: Void.self)
            let first = Task {
                try await importer.customers.importRecords(ImportOptions(), callOptions: Self.bound) { send in
                    try await send(rows("First"))
                    for await _ in gate { break }
                }
            }
            do {
                try await waitUntil("the first import's rows to be spooled") { server.app.importSpoolBytes > 2000 }
                let second = await #expect(throws: RPCError.self) {
                    _ = try await client.customers.importRecords(ImportOptions(), callOptions: Self.bound) { send in
                        try await send(rows("Second"))
                    }
                }
                #expect(second?.code == .resourceExhausted, "\(String(describing: second))")
                #expect(second?.message.contains("limit of \(limit) bytes as received for all of them together") == true,
                        "\(String(describing: second))")
            } catch {
                release.finish()
                throw error
            }
            release.finish()
            #expect(try await first.value.imported == 10)
            let third = try await client.customers.importRecords(ImportOptions(), callOptions: Self.bound) { send in
                try await send(rows("Third"))
            }
            #expect(third.imported == 10)
            let names = try await client.customers.list(CustomerQuery(status: .all), limit: 50, options: Self.bound).customers.map(\.name)
            #expect(names.filter { $0.hasPrefix("Second") }.isEmpty)
            #expect(names.count == 20)
            #expect(server.app.importSpoolBytes == 0)
        }
    }

    /// With a free-space reserve larger than the temporary file system has free (no disk is filled
    /// for it), an import is refused RESOURCE_EXHAUSTED naming the reserve before its spool takes
    /// any of it, and writes nothing; reads and single writes go on.
    @Test func anImportThatWouldEatTheFreeSpaceReserveIsRefusedAndWritesNothing() async throws {
        let reserve = Int64(1) << 60
        try await withTestServer(start: { try TestServer { $0.importFreeSpaceReserve = reserve } }, stop: { $0.stop() }) { server in
            let client = server.client()
            defer { client.close() }
            var refusal: RPCError?
            do {
                _ = try await client.customers.importRecords(ImportOptions(), callOptions: Self.bound) { send in
                    try await send([CustomerRecord(line: 2, fields: CustomerFields(name: "Reserve Oy"))])
                }
            } catch let error as RPCError {
                refusal = error
            }
            #expect(refusal?.code == .resourceExhausted, "\(String(describing: refusal))")
            #expect(refusal?.message.contains("reserve of \(reserve) bytes free on the database's file system") == true,
                    "\(String(describing: refusal))")
            #expect(try await client.customers.list(CustomerQuery(status: .all), limit: 10, options: Self.bound).customers.isEmpty)
            let created = try await client.customers.create(CustomerFields(name: "Single Oy"), options: Self.bound)
            #expect(created.name == "Single Oy")
        }
    }

    @Test func aBadFreeSpaceReserveIsAUsageErrorNamingTheOption() async throws {
        let result = try await runProduct("customerd", ["--import-free-space-reserve", "1048577"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("import-free-space-reserve' needs a whole number from 0 to 1048576, got '1048577'"),
                "\(result.stderr)")
    }
}

import CustomerClient
import Foundation
import Testing

/// An import is spooled until its client ends the stream, and only then written: a client that
/// is slow or silent mid-stream holds up no other write.
@Suite struct CustomerImportSpoolTests {
    /// Bounds every call of these tests, so a writer held by the import fails the test instead of hanging it.
    static let bound = CallOptions(timeout: .seconds(60))

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
}

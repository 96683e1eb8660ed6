import Foundation
import Testing
import TestSupport
@testable import CustomerStore

/// The import's two threads (`CustomerImportPipeline`): the rows are read and prepared on a thread
/// of their own beside the writer, and a failure on either side ends both with nothing written
/// and the producer gone (it lets go of the caller's `rows` before `importCustomers` returns).
@Suite struct CustomerImportPipelineTests {
    /// What an import that failed left: its error, the customers in the store, how many batches
    /// `rows` handed out, and whether `rows` was still held once `importCustomers` returned.
    private struct Ending: Sendable {
        var error: String?
        var customers: Int
        var batchesRead: Int
        var rowsStillHeld: Bool
    }

    private final class Marker {}

    private static func rows(_ batch: Int) -> [CustomerImportRow] {
        (0..<100).map { index in
            let line = Int64(batch * 100 + index + 2)
            return CustomerImportRow(line: line, customer: NewCustomer(name: "Pipeline \(line) Oy", email: "sales@pipeline\(line).fi"))
        }
    }

    /// Runs an all-or-nothing import of `rows` on a thread of its own (bounded by `withDeadline`),
    /// by the fixture's administrator or by a user id no user has.
    private static func importEnding(unknownAuthor: Bool = false,
                                     _ rows: @escaping @Sendable (Int) throws -> [CustomerImportRow]?) async throws -> Ending {
        try await withDeadline("an import that fails ends") {
            try await onThread {
                let fixture = try Fixture()
                weak var held: Marker?
                var batchesRead = 0
                var error: String?
                do {
                    let marker = Marker()
                    held = marker
                    _ = try fixture.store.importCustomers(mode: .allOrNothing, allowDuplicateVAT: false, by: .user(unknownAuthor ? 987_654 : fixture.admin.id)) {
                        withExtendedLifetime(marker) {}
                        defer { batchesRead += 1 }
                        return try rows(batchesRead)
                    }
                } catch let thrown {
                    error = String(describing: thrown)
                }
                let customers = try allPages(fixture.store, CustomerFilter(status: .all), order: .byNumber).count
                return Ending(error: error, customers: customers, batchesRead: batchesRead, rowsStillHeld: held != nil)
            }
        }
    }

    /// A bad message mid-stream (what the server's `rows` throws when one does not decode, or the
    /// call is cancelled or past its deadline while the rows are written): the import fails with
    /// that error, after the batches before it were handed over, and keeps none of them.
    @Test func anErrorWhileReadingTheRowsEndsTheImportWithNothingWritten() async throws {
        let ending = try await Self.importEnding { batch in
            guard batch < 5 else { throw StoreError.invalidArgument([FieldViolation(field: "rows", reason: "message 6 is damaged")]) }
            return Self.rows(batch)
        }
        #expect(ending.error?.contains("message 6 is damaged") == true, "the import fails with the reader's error: \(String(describing: ending.error))")
        #expect(ending.batchesRead == 6)
        #expect(ending.customers == 0, "nothing of the batches before the bad one is kept")
        #expect(!ending.rowsStillHeld, "the producer let go of the rows before the import returned")
    }

    /// A failure on the writer's side (here: the acting user does not exist) while the producer
    /// could go on forever: the producer is stopped, at most a full queue ahead, and gone.
    @Test func aFailureOfTheWriterStopsTheProducer() async throws {
        let ending = try await Self.importEnding(unknownAuthor: true) { batch in Self.rows(batch) }
        #expect(ending.error != nil, "an unknown acting user fails the import")
        #expect(ending.customers == 0)
        #expect(ending.batchesRead <= CustomerImportPipeline.capacity + 2,
                "the producer stops once the queue is full: \(ending.batchesRead) batches read")
        #expect(!ending.rowsStillHeld, "the producer let go of the rows before the import returned")
    }
}

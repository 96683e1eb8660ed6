import Foundation
import Hashing
import Synchronization
import Testing
@testable import CustomerStore

/// The view a server's handlers hold (`requiringAdmission()`) refuses every write that was not
/// given its call's admission (`answering(_:)`), whatever path the write takes to the writer, and
/// changes nothing; the admission it is given is asked before each kind of write keeps anything.
@Suite struct WriteAdmissionTests {
    /// A customer with one file, made on the store as opened (which writes unconditionally).
    struct Records {
        let fixture: Fixture
        let customer: StoredCustomer
        let file: StoredFile

        init() throws {
            fixture = try Fixture()
            customer = try fixture.create("Kept Oy")
            file = try fixture.upload(sampleBytes(3_000), name: "kept.pdf", customerID: customer.id)
        }

        var author: Author { .user(fixture.admin.id) }
    }

    /// One write of each path to the writer: a group write that checks first, an ordinary group
    /// write, a keyed write, one that holds the writer (a file's removal), an import, an upload.
    enum Write: String, CaseIterable {
        case createCustomer, addNote, keyedWrite, removeFile, importCustomers, upload

        func run(on store: CustomerStore, _ records: Records) throws {
            switch self {
            case .createCustomer:
                _ = try store.createCustomer(NewCustomer(name: "Late Oy"), by: records.author)
            case .addNote:
                _ = try store.addNote(customerID: records.customer.id, text: "late", contactID: nil, by: records.author)
            case .keyedWrite:
                let claim = IdempotencyClaim(userID: records.fixture.admin.id, key: "k", method: "test/Create",
                                             request: Array("late".utf8))
                _ = try store.keyedWrite(claim) {
                    _ = try store.insideKeyedWrites().createCustomer(NewCustomer(name: "Late Oy"), by: records.author)
                    return [1]
                }
            case .removeFile:
                _ = try store.removeFile(id: records.file.id, by: records.author)
            case .importCustomers:
                var batches = [[CustomerImportRow(line: 2, customer: NewCustomer(name: "Late Oy"))]]
                _ = try store.importCustomers(mode: .allOrNothing, allowDuplicateVAT: false, by: records.author) {
                    batches.popLast()
                }
            case .upload:
                let bytes = sampleBytes(2_000, seed: 9)
                let upload = try store.beginUpload(
                    customerID: records.customer.id, projectID: nil, name: "late.pdf", expectedSize: Int64(bytes.count),
                    expectedSHA256: Hex.encode(SHA256.hash(bytes)), by: records.author)
                try upload.append(bytes)
                _ = try upload.finish()
            }
        }

        /// How the refusal names the write.
        var name: String {
            switch self {
            case .createCustomer: "createCustomer(_:allowDuplicateVAT:by:)"
            case .addNote: "insertActivity("
            case .keyedWrite: "keyedWrite(_:_:) of test/Create"
            case .removeFile: "removeFile(id:by:)"
            case .importCustomers: "importCustomers(mode:allowDuplicateVAT:by:rows:)"
            case .upload: "beginUpload("
            }
        }
    }

    @Test(arguments: Write.allCases)
    func aWriteWithoutItsAdmissionIsRefusedNamingItAndChangesNothing(_ write: Write) throws {
        let records = try Records()
        let view = records.fixture.store.requiringAdmission()
        let before = try records.fixture.store.snapshot()
        let blobs = records.fixture.blobPaths()

        let error = storeError { try write.run(on: view, records) }
        guard case .writeWithoutAdmission(let name) = error else {
            Issue.record("\(write): expected writeWithoutAdmission, got \(String(describing: error))")
            return
        }
        #expect(name.hasPrefix(write.name), "\(name)")
        #expect(error?.description.contains("without its call's admission") == true)
        #expect(try records.fixture.store.snapshot() == before)
        #expect(records.fixture.blobPaths() == blobs)
        #expect(records.fixture.temporaryFiles().isEmpty)
        // Reads are the store's own.
        #expect(try view.customer(id: records.customer.id) == records.customer)
    }

    struct CallEnded: Error {}

    @Test(arguments: Write.allCases)
    func aWriteWhoseAdmissionRefusesKeepsNothing(_ write: Write) throws {
        let records = try Records()
        let view = records.fixture.store.requiringAdmission().answering { throw CallEnded() }
        let before = try records.fixture.store.snapshot()
        let blobs = records.fixture.blobPaths()

        #expect(throws: CallEnded.self, "\(write)") { try write.run(on: view, records) }
        #expect(try records.fixture.store.snapshot() == before)
        #expect(records.fixture.blobPaths() == blobs)
        #expect(records.fixture.temporaryFiles().isEmpty)
    }

    @Test(arguments: Write.allCases)
    func aWriteItsAdmissionAdmitsRunsOnceAsked(_ write: Write) throws {
        let records = try Records()
        let asked = AdmissionCount()
        let view = records.fixture.store.requiringAdmission().answering { asked.increment() }
        let before = try records.fixture.store.snapshot()

        try write.run(on: view, records)
        #expect(asked.value == 1, "\(write)")
        #expect(try records.fixture.store.snapshot() != before)
    }

    /// A call with an idempotency key runs its handler on the keyed view of the handlers' store:
    /// a handler that forgot `answering` there is refused as on the ordinary path.
    @Test func insideAKeyedWriteTheHandlersViewStillNeedsItsAdmission() throws {
        let records = try Records()
        let served = records.fixture.store.requiringAdmission()
        let keyed = served.insideKeyedWrites()
        let claim = IdempotencyClaim(userID: records.fixture.admin.id, key: "k", method: "test/Create",
                                     request: Array("late".utf8))
        let before = try records.fixture.store.snapshot()

        let error = storeError {
            _ = try served.answering {}.keyedWrite(claim) {
                _ = try keyed.createCustomer(NewCustomer(name: "Late Oy"), by: records.author)
                return [1]
            }
        }
        #expect(error == .writeWithoutAdmission("createCustomer(_:allowDuplicateVAT:by:)"))
        #expect(try records.fixture.store.snapshot() == before)

        _ = try served.answering {}.keyedWrite(claim) {
            _ = try keyed.answering {}.createCustomer(NewCustomer(name: "Late Oy"), by: records.author)
            return [1]
        }
        #expect(try allPages(records.fixture.store).map(\.name).sorted() == ["Kept Oy", "Late Oy"])
    }

    @Test func theFeedsHorizonIsBookkeepingNotACallsWrite() throws {
        let records = try Records()
        let view = records.fixture.store.requiringAdmission()
        let bounds = try view.feedBounds(applying: FeedRetention(count: 0))
        #expect(bounds.prunedThrough == bounds.last && bounds.last > 0)
        #expect(try records.fixture.store.feedBounds(applying: FeedRetention()) == bounds)
    }
}

/// Counts from any thread (an admission is asked on the thread that leads the writer's group).
final class AdmissionCount: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

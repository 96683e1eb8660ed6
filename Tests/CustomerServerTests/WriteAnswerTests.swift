@testable import CustomerServer
@testable import CustomerStore
import CustomerAPI
import CustomerClient
import Foundation
import RPCCore
import TestSupport
import Testing

/// A unary write whose call the server ended while the write waited for the database's writer
/// (its deadline answered DEADLINE_EXCEEDED, the client's CANCEL) writes nothing: before, it
/// committed in the next group, after its caller had been told it failed (PROTOCOL.md §7.1 called
/// it a caveat). A write queued beside it whose call goes on still commits, in the same group.
@Suite struct WriteAnswerTests {
    enum Ending: CaseIterable { case deadline, cancel }
    /// The writes tried: a customer (its author passed to the store) and a keyword (an
    /// administration write with no author), each without an idempotency key (`CustomerStore.write`)
    /// and with one (`keyedWrite`).
    enum Write: CaseIterable { case customer, keyedCustomer, keyword, keyedKeyword }

    @Test(arguments: Ending.allCases, Write.allCases)
    func aWriteEndedWhileItWaitsForTheWriterWritesNothing(_ ending: Ending, _ write: Write) async throws {
        try await withInProcessServer { server in
            let boss = server.client(uid: InProcessServer.bossUID)
            let store = server.app.store
            let gate = Gate()
            let holder = ThreadTask { try store.write { _ in gate.hold() } }
            defer { gate.open() }
            try await gate.waitUntilHeld()
            // The connection opened first, so the deadline is all the write's (see ImportAnswerTests).
            _ = try await boss.server.info()
            let before = try await write.records(boss)

            let waiting = Task { try await write.make("8812", boss, CallOptions()) }
            try await waitUntil("the patient write to wait for the writer", every: .milliseconds(10)) {
                store.writer.statistics.waiting == 1
            }
            let options = ending == .deadline ? CallOptions(timeout: .seconds(2)) : CallOptions()
            let ended = Task { try await write.make("8811", boss, options) }
            if ending == .cancel {
                try await waitUntil("the late write to wait for the writer", every: .milliseconds(10)) {
                    store.writer.statistics.waiting == 2
                }
                ended.cancel()
            }
            let error = await #expect(throws: (any Error).self) { _ = try await ended.value }
            if ending == .deadline {
                #expect((error as? RPCError)?.code == .deadlineExceeded, "\(String(describing: error))")
            }
            // The server has ended the call (answered or abandoned it) while the write still waits.
            try await waitUntil("the server to end the late write's call", every: .milliseconds(10)) {
                try await boss.server.info().methods.contains { $0.method == write.method && $0.calls > 0 }
            }
            gate.open()
            try await holder.value

            #expect(try await waiting.value == "8812")
            #expect(try await write.records(boss) == (before + ["8812"]).sorted())
            // Nothing of the ended write stayed behind: its number or name, and its key, are free.
            #expect(try await write.make("8811", boss, CallOptions()) == "8811")
        }
    }
}

extension WriteAnswerTests.Write {
    var method: String {
        switch self {
        case .customer, .keyedCustomer: CustomerService.createCustomer.descriptor.fullName
        case .keyword, .keyedKeyword: LabelService.createLabel.descriptor.fullName
        }
    }

    /// Creates the record named `name` (a customer's number, a keyword's name); returns that name.
    func make(_ name: String, _ client: CustomerClient, _ options: CallOptions) async throws -> String {
        let fields = CustomerFields(number: Int64(name), name: "Customer \(name) Oy", country: "FI")
        switch self {
        case .customer:
            return String(try await client.channel.unary(CustomerService.createCustomer.descriptor,
                                                          CreateCustomerRequest(fields: fields), as: Customer.self,
                                                          options: options).number)
        case .keyedCustomer:
            return String(try await client.customers.create(fields, options: options).number)
        case .keyword:
            return try await client.channel.unary(LabelService.createLabel.descriptor,
                                                  CreateLabelRequest(kind: .keyword, name: name), as: Label.self,
                                                  options: options).name
        case .keyedKeyword:
            return try await client.labels.create(.keyword, name: name, options: options).name
        }
    }

    /// The names of the records of this kind, sorted.
    func records(_ client: CustomerClient) async throws -> [String] {
        switch self {
        case .customer, .keyedCustomer:
            try await client.customers.list(CustomerQuery(status: .all)).customers.map { String($0.number) }.sorted()
        case .keyword, .keyedKeyword:
            try await client.labels.list(.keyword).map(\.name).sorted()
        }
    }
}

/// The same for the other kinds of write (an update, a delete, a contact, an activity, a merge,
/// and a file's removal, which holds the writer across its own transaction): a change whose call
/// the server ended while it waited for the writer leaves every table as it was.
@Suite struct ChangeAnswerTests {
    enum Change: CaseIterable { case updateCustomer, deleteCustomer, createContact, addNote, merge, removeFile }

    /// What the changes work on, made before the writer is held.
    struct Records: Sendable {
        var kept: Int64
        var absorbed: Int64
        var file: Int64
    }

    @Test(arguments: WriteAnswerTests.Ending.allCases, Change.allCases)
    func aChangeEndedWhileItWaitsForTheWriterChangesNothing(_ ending: WriteAnswerTests.Ending, _ change: Change) async throws {
        try await withInProcessServer { server in
            let boss = server.client(uid: InProcessServer.bossUID)
            let store = server.app.store
            let kept = try await boss.customers.create(CustomerFields(number: 9001, name: "Kept Oy", country: "FI"))
            let absorbed = try await boss.customers.create(CustomerFields(number: 9002, name: "Kept Oy", country: "FI"))
            let file = try await boss.files.upload(customerID: kept.id, name: "kept.pdf", data: Data("signed".utf8))
            let records = Records(kept: kept.id, absorbed: absorbed.id, file: file.id)
            _ = try await boss.server.info()
            let before = try await onThread { try store.snapshot() }

            let gate = Gate()
            let holder = ThreadTask { try store.write { _ in gate.hold() } }
            defer { gate.open() }
            try await gate.waitUntilHeld()
            let options = ending == .deadline ? CallOptions(timeout: .seconds(2)) : CallOptions()
            let ended = Task { try await change.make(records, boss, options) }
            // With a deadline the call may end before its write queues (a starved machine): its
            // handler then writes nothing either.
            try await waitUntil("the change to wait for the writer", every: .milliseconds(10)) {
                if store.writer.statistics.waiting == 1 { return true }
                guard ending == .deadline else { return false }
                return change.wasCounted(try await boss.server.info())
            }
            if ending == .cancel { ended.cancel() }
            let error = await #expect(throws: (any Error).self) { try await ended.value }
            if ending == .deadline {
                #expect((error as? RPCError)?.code == .deadlineExceeded, "\(String(describing: error))")
            }
            try await waitUntil("the server to end the change's call", every: .milliseconds(10)) {
                change.wasCounted(try await boss.server.info())
            }
            gate.open()
            try await holder.value
            // Writes are led in turn: once this one has committed, the change had its turn.
            try await onThread { try store.write { _ in } }

            let after = try await onThread { try store.snapshot() }
            #expect(after.changedTables(comparedTo: before) == [])
        }
    }
}

extension ChangeAnswerTests.Change {
    var method: String {
        switch self {
        case .updateCustomer: CustomerService.updateCustomer.descriptor.fullName
        case .deleteCustomer: CustomerService.deleteCustomer.descriptor.fullName
        case .createContact: ContactService.createContact.descriptor.fullName
        case .addNote: ActivityService.addNote.descriptor.fullName
        case .merge: CustomerService.mergeCustomers.descriptor.fullName
        case .removeFile: FileService.removeFile.descriptor.fullName
        }
    }

    /// Whether the server has ended a call of this change's method (answered or abandoned it).
    func wasCounted(_ info: ServerInfoResponse) -> Bool {
        info.methods.contains { $0.method == method && $0.calls > 0 }
    }

    func make(_ records: ChangeAnswerTests.Records, _ client: CustomerClient, _ options: CallOptions) async throws {
        switch self {
        case .updateCustomer:
            _ = try await client.customers.update(id: records.kept, CustomerFields(description: "late"), options: options)
        case .deleteCustomer:
            try await client.customers.delete(id: records.kept, confirm: true, options: options)
        case .createContact:
            _ = try await client.contacts.create(customerID: records.kept, ContactFields(firstName: "Late", lastName: "Comer"),
                                                 options: options)
        case .addNote:
            _ = try await client.activities.note(customerID: records.kept, "late", options: options)
        case .merge:
            _ = try await client.customers.merge(keep: records.kept, absorb: records.absorbed, options: options)
        case .removeFile:
            _ = try await client.files.remove(id: records.file, options: options)
        }
    }
}

import CustomerClient
import Foundation
import Testing

/// Issue 16 §3: after an erasure the person's data is in none of the database's files: not in
/// freed space of a page, not in an older frame of the write-ahead log, not in the history, not
/// in a remembered answer of a keyed write. Each test first checks that the values are in the
/// files, so a check that cannot see them cannot pass.
@Suite struct ErasureTests {
    /// Values no other test and no schema text contains.
    static let person = ContactFields(
        firstName: "Quillonetta", lastName: "Brackwaterhusk", title: "Erasurechief",
        email: "quillonetta.erase@zyxw.example", phone: "+358 9 777 1357", mobile: "+358 40 246 8642",
        notes: "Remembers the Xylophonic meeting")
    static let personValues = ["Quillonetta", "Brackwaterhusk", "Erasurechief", "quillonetta.erase@zyxw.example",
                               "+358 9 777 1357", "+358 40 246 8642", "Xylophonic"]
    /// An email the person had before (an update left it in freed space and in the history).
    static let earlierEmail = "q.brackwater@oldmail.example"

    @Test func anErasedContactIsInNoneOfTheDatabaseFiles() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            var keyed = CallOptions()
            keyed.idempotencyKey = "create-quillonetta"
            var first = Self.person
            first.email = Self.earlierEmail
            let contact = try await client.contacts.create(customerID: customer.id, first, options: keyed)
            _ = try await client.contacts.update(id: contact.id, ContactFields(email: Self.person.email))
            _ = try await client.contacts.update(id: contact.id, Self.person)
            let before = try await offPool { try DatabaseFiles(server.databasePath) }
            for value in Self.personValues + [Self.earlierEmail] {
                #expect(before.contains(value), "control: \(value) is in the files before the erasure")
            }

            _ = try await client.contacts.delete(id: contact.id, confirm: true)

            let files = try await offPool { try DatabaseFiles(server.databasePath) }
            for value in Self.personValues + [Self.earlierEmail] {
                #expect(!files.contains(value), "\(value) is still in \(files.holding(value))")
            }
            // The history says that an erasure happened, and by whom, without the values.
            let history = try await client.history.list(.contact, id: contact.id)
            #expect(history.last?.action == "deleted")
            #expect(history.map(\.action).contains("updated"))
        }
    }
}

/// The raw bytes of a database's files: the database, its write-ahead log, its shared-memory
/// index and a rollback journal, whichever exist.
struct DatabaseFiles {
    let contents: [(path: String, bytes: Data)]

    init(_ databasePath: String) throws {
        contents = try ["", "-wal", "-shm", "-journal"].compactMap { suffix in
            let path = databasePath + suffix
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            return (path, try Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }

    /// Whether `text` (as UTF-8, the database's encoding) is anywhere in any of the files.
    func contains(_ text: String) -> Bool {
        !holding(text).isEmpty
    }

    /// The files that hold `text`.
    func holding(_ text: String) -> [String] {
        let needle = Data(text.utf8)
        return contents.filter { $0.bytes.range(of: needle) != nil }.map(\.path)
    }
}

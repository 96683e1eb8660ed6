import Foundation
import Testing
@testable import CustomerStore

/// The file an import's stream is kept in until it ends (`CustomerImportSpool`).
@Suite struct CustomerImportSpoolStoreTests {
    @Test func messagesComeBackAsAppendedInOrderAndTheFileHasNoName() throws {
        let fixture = try Fixture()
        let spool = try fixture.store.makeImportSpool()
        // ~3 MB in all, so reading back crosses the spool's 1 MiB blocks; one message is empty.
        let messages = (0..<300).map { index in [UInt8](repeating: UInt8(index % 256), count: index * 97 % 20_011) }
        for message in messages { try spool.append(message) }
        var read: [[UInt8]] = []
        while let message = try spool.next() { read.append(message) }
        #expect(read.count == messages.count)
        #expect(read == messages)
        #expect(try spool.next() == nil)
        let directory = (fixture.directory.databasePath as NSString).deletingLastPathComponent
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(!names.contains { $0.hasPrefix(".customer-import") }, "\(names)")
    }

    /// A message that would take the file past its limit is refused, keeps nothing, and the
    /// messages before it read back as they were.
    @Test func aMessagePastTheLimitIsRefusedAndTheEarlierOnesStay() throws {
        let fixture = try Fixture()
        let spool = try fixture.store.makeImportSpool(limit: 100)
        try spool.append([UInt8](repeating: 1, count: 60))
        #expect(spool.size == 64)
        #expect {
            try spool.append([UInt8](repeating: 2, count: 33))
        } throws: { error in
            guard case StoreError.resourceExhausted(let message) = error else { return false }
            return message.contains("limit of 100 bytes")
        }
        try spool.append([UInt8](repeating: 3, count: 32))
        #expect(spool.size == 100)
        #expect(try spool.next() == [UInt8](repeating: 1, count: 60))
        #expect(try spool.next() == [UInt8](repeating: 3, count: 32))
        #expect(try spool.next() == nil)
    }
}

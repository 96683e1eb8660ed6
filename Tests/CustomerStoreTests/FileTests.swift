import Foundation
import Hashing
import Testing
@testable import CustomerStore

/// Bytes that differ at every position of a short period, so a misplaced chunk changes the hash.
func sampleBytes(_ count: Int, seed: UInt8 = 1) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed) &+ $0 / 251) }
}

extension Fixture {
    var blobRoot: String { store.path + ".files" }

    /// Every regular file under the blob directory except temporary ones, as paths relative to it.
    func blobPaths() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: blobRoot) else { return [] }
        var paths: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: blobRoot + "/" + relative, isDirectory: &isDirectory)
            if exists, !isDirectory.boolValue, !relative.hasPrefix("tmp/") { paths.append(relative) }
        }
        return paths.sorted()
    }

    /// The files waiting in the temporary directory.
    func temporaryFiles() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: blobRoot + "/tmp")) ?? []
    }

    /// Uploads `bytes` in chunks of `chunk` bytes, announcing their true size and hash.
    func upload(_ bytes: [UInt8], name: String, customerID: Int64, projectID: Int64? = nil,
                chunk: Int = 1_000) throws -> StoredFile {
        let upload = try store.beginUpload(customerID: customerID, projectID: projectID, name: name,
                                           contentType: "application/octet-stream", expectedSize: Int64(bytes.count),
                                           expectedSHA256: Hex.encode(SHA256.hash(bytes)), by: .user(admin.id))
        for start in stride(from: 0, to: bytes.count, by: chunk) {
            try upload.append(Array(bytes[start..<min(start + chunk, bytes.count)]))
        }
        return try upload.finish()
    }

    /// The whole content of a file, read in chunks of `chunkSize`, and the largest chunk seen.
    func download(_ id: Int64, chunkSize: Int = 333) throws -> (bytes: [UInt8], largestChunk: Int) {
        var bytes: [UInt8] = []
        var largest = 0
        try store.readFile(id: id, chunkSize: chunkSize) { chunk in
            bytes += chunk
            largest = max(largest, chunk.count)
        }
        return (bytes, largest)
    }
}

@Suite struct FileTests {
    @Test func chunkedUploadKeepsTheContentAtItsHashAndDownloadsIt() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Files Oy")
        let bytes = sampleBytes(10_007)
        let hex = Hex.encode(SHA256.hash(bytes))
        let file = try fixture.upload(bytes, name: " report.pdf ", customerID: customer.id, chunk: 997)
        #expect(file == StoredFile(id: file.id, customerID: customer.id, projectID: nil, projectName: nil, name: "report.pdf",
                                   size: 10_007, sha256: hex, contentType: "application/octet-stream",
                                   createdAt: fixture.clock.now, createdBy: fixture.admin.ref,
                                   updatedAt: fixture.clock.now, updatedBy: fixture.admin.ref))
        let blob = "\(hex.prefix(2))/\(hex.dropFirst(2).prefix(2))/\(hex)"
        #expect(fixture.blobPaths() == [blob])
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.blobRoot + "/" + blob)) == Data(bytes))
        #expect(fixture.temporaryFiles().isEmpty)
        let downloaded = try fixture.download(file.id)
        #expect(downloaded.bytes == bytes && downloaded.largestChunk == 333)
        #expect(try fixture.store.files(customerID: customer.id) == [file])
        #expect(try fixture.store.file(id: file.id) == file)
        #expect(try fixture.store.history(.customer, id: customer.id).last?.changes
                == [StoredFieldChange(field: "files.\(file.id)", oldValue: nil, newValue: "report.pdf")])
        // The blob directory is the owner's only.
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.blobRoot)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
    }

    @Test func anEmptyFileIsAFile() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Empty Oy")
        let file = try fixture.upload([], name: "empty.txt", customerID: customer.id)
        #expect(file.size == 0 && file.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try fixture.download(file.id).bytes == [])
    }

    /// What an upload that does not match its announcement leaves: nothing at all.
    struct Mismatch: Sendable, CustomTestStringConvertible {
        let label: String
        let announcedSize: Int64?
        let announcedHash: String?
        let field: String
        var testDescription: String { label }
    }

    static let content = sampleBytes(4_000)
    static let mismatches: [Mismatch] = [
        Mismatch(label: "wrong hash", announcedSize: 4_000, announcedHash: String(repeating: "ab", count: 32), field: "sha256"),
        Mismatch(label: "hash of other bytes", announcedSize: nil, announcedHash: Hex.encode(SHA256.hash(sampleBytes(4_000, seed: 2))),
                 field: "sha256"),
        Mismatch(label: "fewer bytes than announced", announcedSize: 4_001, announcedHash: nil, field: "size"),
        Mismatch(label: "more bytes than announced", announcedSize: 3_999, announcedHash: nil, field: "size"),
    ]

    @Test(arguments: mismatches)
    func aMismatchKeepsNothing(_ mismatch: Mismatch) throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Mismatch Oy")
        let upload = try fixture.store.beginUpload(customerID: customer.id, projectID: nil, name: "x.bin",
                                                   expectedSize: mismatch.announcedSize,
                                                   expectedSHA256: mismatch.announcedHash, by: .user(fixture.admin.id))
        let found = violations {
            for start in stride(from: 0, to: Self.content.count, by: 1_000) {
                try upload.append(Array(Self.content[start..<start + 1_000]))
            }
            _ = try upload.finish()
        }
        #expect(found?.map(\.field) == [mismatch.field])
        #expect(try fixture.store.files(customerID: customer.id).isEmpty)
        #expect(fixture.blobPaths().isEmpty && fixture.temporaryFiles().isEmpty)
        #expect(throws: StoreError.failedPrecondition("the upload of 'x.bin' was aborted", field: "data")) { try upload.append([1]) }
    }

    @Test func overTheLimitIsRefusedAndKeepsNothing() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Limit Oy")
        let upload = try fixture.store.beginUpload(customerID: customer.id, projectID: nil, name: "big.bin",
                                                   expectedSize: nil, expectedSHA256: nil, limit: 100, by: .user(fixture.admin.id))
        try upload.append(sampleBytes(60))
        #expect(throws: StoreError.resourceExhausted("the upload exceeds the limit of 100 bytes")) {
            try upload.append(sampleBytes(41))
        }
        #expect(fixture.temporaryFiles().isEmpty && fixture.blobPaths().isEmpty)
        #expect(try fixture.store.files(customerID: customer.id).isEmpty)
        // Announced over the limit: refused before a byte is sent (the default limit is 100 MiB).
        #expect(throws: StoreError.resourceExhausted("a file of 104857601 bytes exceeds the limit of 104857600 bytes")) {
            try fixture.store.beginUpload(customerID: customer.id, projectID: nil, name: "huge.bin",
                                          expectedSize: 100 * 1024 * 1024 + 1, expectedSHA256: nil, by: .user(fixture.admin.id))
        }
        #expect(fixture.temporaryFiles().isEmpty)
    }

    @Test func abortedAndDroppedUploadsLeaveNothing() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Abort Oy")
        let aborted = try fixture.store.beginUpload(customerID: customer.id, projectID: nil, name: "a.bin",
                                                    expectedSize: nil, expectedSHA256: nil, by: .user(fixture.admin.id))
        try aborted.append(sampleBytes(500))
        #expect(FileManager.default.fileExists(atPath: aborted.temporaryPath) && aborted.received == 500)
        aborted.abort()
        aborted.abort()  // twice is harmless
        #expect(!FileManager.default.fileExists(atPath: aborted.temporaryPath))
        #expect(throws: StoreError.failedPrecondition("the upload of 'a.bin' was aborted", field: "data")) { _ = try aborted.finish() }

        var temporaryPath = ""
        do {
            let dropped = try fixture.store.beginUpload(customerID: customer.id, projectID: nil, name: "b.bin",
                                                        expectedSize: nil, expectedSHA256: nil, by: .user(fixture.admin.id))
            try dropped.append(sampleBytes(500))
            temporaryPath = dropped.temporaryPath
            #expect(FileManager.default.fileExists(atPath: temporaryPath))
        }
        #expect(!FileManager.default.fileExists(atPath: temporaryPath))
        #expect(fixture.temporaryFiles().isEmpty && fixture.blobPaths().isEmpty)
        #expect(try fixture.store.files(customerID: customer.id).isEmpty)
    }

    @Test func staleTemporaryFilesAreRemovedAtOpen() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Crash Oy")
        let upload = try fixture.store.beginUpload(customerID: customer.id, projectID: nil, name: "c.bin",
                                                   expectedSize: nil, expectedSHA256: nil, by: .user(fixture.admin.id))
        try upload.append(sampleBytes(10))
        // As a crash leaves it: the temporary file is there when the next process opens the store.
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: fixture.blobRoot + "/tmp/left-over.upload"))
        #expect(fixture.temporaryFiles().count == 2)
        // One owner per database: the next store opens once this one has closed, as after a crash.
        fixture.store.close()
        let reopened = try CustomerStore(path: fixture.store.path)
        #expect(fixture.temporaryFiles().isEmpty)
        reopened.close()
    }

    @Test func identicalContentIsStoredOnceAndRemovedWithItsLastFile() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Dedup Oy")
        let other = try fixture.create("Other Oy")
        let bytes = sampleBytes(2_500)
        let first = try fixture.upload(bytes, name: "one.bin", customerID: customer.id)
        let second = try fixture.upload(bytes, name: "two.bin", customerID: other.id, chunk: 64)
        let third = try fixture.upload(sampleBytes(2_500, seed: 9), name: "three.bin", customerID: customer.id)
        #expect(first.sha256 == second.sha256 && first.id != second.id)
        #expect(fixture.blobPaths().count == 2)

        let removed = try fixture.store.removeFile(id: first.id, by: .user(fixture.other.id))
        #expect(removed == first)
        #expect(fixture.blobPaths().count == 2)  // still the content of "two.bin"
        #expect(try fixture.download(second.id).bytes == bytes)
        try fixture.store.removeFile(id: second.id, by: .user(fixture.admin.id))
        #expect(fixture.blobPaths() == [fixture.blobPaths().first { $0.hasSuffix(third.sha256) } ?? "missing"])
        #expect(throws: StoreError.notFound("file \(first.id) does not exist")) { try fixture.store.file(id: first.id) }
        #expect(try fixture.store.history(.customer, id: customer.id).last?.changes
                == [StoredFieldChange(field: "files.\(first.id)", oldValue: "one.bin", newValue: nil)])
    }

    @Test func renameValidatesTheName() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Rename Oy")
        let file = try fixture.upload(sampleBytes(10), name: "draft.txt", customerID: customer.id)
        fixture.clock.advance(milliseconds: 10)
        let renamed = try fixture.store.renameFile(id: file.id, name: "final.txt", by: .user(fixture.other.id))
        #expect(renamed.name == "final.txt" && renamed.updatedBy == fixture.other.ref && renamed.updatedAt == fixture.clock.now)
        for bad in ["", "a/b", "nul\0byte", "..", String(repeating: "n", count: 256)] {
            #expect(violations { _ = try fixture.store.renameFile(id: file.id, name: bad, by: .user(fixture.admin.id)) }?
                .map(\.field) == ["name"], "\(bad.prefix(10))")
        }
        let beginViolations = violations {
            _ = try fixture.store.beginUpload(customerID: customer.id, projectID: nil, name: "x/y", contentType: "pdf",
                                              expectedSize: -1, expectedSHA256: "abc", by: .user(fixture.admin.id))
        }
        #expect(beginViolations?.map(\.field) == ["name", "contentType", "sha256", "size"])
        #expect(throws: StoreError.notFound("customer 999 does not exist", field: "customerId")) {
            try fixture.store.beginUpload(customerID: 999, projectID: nil, name: "x", expectedSize: nil, expectedSHA256: nil,
                                          by: .user(fixture.admin.id))
        }
    }

    @Test func aDamagedOrMissingBlobIsDataLoss() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Damage Oy")
        let file = try fixture.upload(sampleBytes(100), name: "d.bin", customerID: customer.id)
        let blob = fixture.blobRoot + "/" + fixture.blobPaths()[0]
        try Data(sampleBytes(100, seed: 3)).write(to: URL(fileURLWithPath: blob))
        #expect(throws: StoreError.dataLoss("the content of file \(file.id) is damaged: it no longer matches its size and "
                                            + "SHA-256; upload it again to repair it")) {
            _ = try fixture.download(file.id)
        }
        try FileManager.default.removeItem(atPath: blob)
        #expect(throws: StoreError.dataLoss("the content of file \(file.id) is missing; upload it again to restore it")) {
            _ = try fixture.download(file.id)
        }
    }

    /// A blob damaged on disk keeps its size; an upload of the same content used to be
    /// acknowledged on the size alone and then could never be read back. Now the upload checks
    /// the stored blob's hash and replaces it, which repairs every file with that content.
    @Test func reuploadingTheContentOfADamagedBlobRepairsIt() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Repair Oy")
        let bytes = sampleBytes(5_000)
        let damaged = try fixture.upload(bytes, name: "first.bin", customerID: customer.id)
        let blob = fixture.blobRoot + "/" + fixture.blobPaths()[0]
        try Data(sampleBytes(5_000, seed: 4)).write(to: URL(fileURLWithPath: blob))
        #expect(throws: StoreError.self) { _ = try fixture.download(damaged.id) }

        let again = try fixture.upload(bytes, name: "again.bin", customerID: customer.id)
        #expect(again.sha256 == damaged.sha256)
        #expect(try fixture.download(again.id).bytes == bytes)
        #expect(try fixture.download(damaged.id).bytes == bytes)
        #expect(fixture.blobPaths().count == 1 && fixture.temporaryFiles().isEmpty)
    }

    @Test func aCustomerWithFilesOrLinksIsErasedToATombstoneThatKeepsThem() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Keep Oy")
        _ = try fixture.upload(sampleBytes(10), name: "k.bin", customerID: customer.id)
        _ = try fixture.store.addLink(customerID: customer.id, projectID: nil, url: "example.com", title: nil,
                                      by: .user(fixture.admin.id))
        try fixture.store.deleteCustomer(id: customer.id, by: .user(fixture.admin.id))
        #expect(try fixture.store.customer(id: customer.id).deleted)
        #expect(try fixture.store.files(customerID: customer.id).map(\.name) == ["k.bin"])
    }

    /// A file's project must be one of the same customer, and listings carry its name.
    @Test func projectFilesAreCheckedAndNamed() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Projects Oy")
        let other = try fixture.create("Other Oy")
        let rollout = try fixture.store.createProject(customerID: customer.id, StoredProjectFields(name: "Rollout"), by: .user(fixture.admin.id))
        let elsewhere = try fixture.store.createProject(customerID: other.id, StoredProjectFields(name: "Elsewhere"), by: .user(fixture.admin.id))
        let early = try fixture.upload(sampleBytes(5), name: "early.bin", customerID: customer.id, projectID: rollout.id)
        #expect(early.projectID == rollout.id && early.projectName == "Rollout")
        #expect(violations { _ = try fixture.upload(sampleBytes(5), name: "p.bin", customerID: customer.id, projectID: elsewhere.id) }
                == [FieldViolation(field: "projectId", reason: "customer \(customer.id) has no project \(elsewhere.id)")])
        let own = try fixture.upload(sampleBytes(6), name: "own.bin", customerID: customer.id)
        #expect(try fixture.store.files(customerID: customer.id).map { "\($0.name):\($0.projectName ?? "-")" }
                == ["own.bin:-", "early.bin:Rollout"])
        #expect(try fixture.store.file(id: own.id).projectID == nil)
    }
}

import Foundation
import Hashing
import SQLiteEngine
#if canImport(Glibc)
import Glibc
#endif

/// Files of customers and their projects: metadata in SQLite, content in a `BlobStore`.
extension CustomerStore {
    /// The default chunk size of `readFile`.
    public static let defaultReadChunkSize = 64 * 1024
    static let maxContentType = 255

    var blobs: BlobStore { BlobStore(databasePath: path) }

    /// Starts an upload; feed it with `append` and complete it with `finish()` (or `abort()`).
    /// The upload writes through this view: its admission (``answering(_:)``) is asked last before
    /// the COMMIT of `finish()`; a view that requires one it does not have refuses here already.
    ///
    /// - Parameters:
    ///   - projectID: a project of the same customer, or nil for a file of the customer itself.
    ///   - expectedSize, expectedSHA256: what the content must be (nil: not checked); the hash as hex.
    ///   - limit: the largest upload accepted (default 100 MiB).
    /// - Throws: `invalidArgument` listing every invalid field; `resourceExhausted` when the
    ///   announced size is over the limit; `notFound` (customer); `brokenRule` (user).
    public func beginUpload(customerID: Int64, projectID: Int64?, name: String, contentType: String? = nil,
                            expectedSize: Int64?, expectedSHA256: String?, limit: Int64 = FileUpload.defaultLimit,
                            by author: Author) throws -> FileUpload {
        // First, so a handler that forgot its admission fails at once, not after the whole upload.
        _ = try admission.asked(by: #function)
        var violations: [FieldViolation] = []
        let validName = Self.validFileName(name, field: "name").value(into: &violations)
        var validType: String?
        CustomerValidator.normalise(contentType, field: "contentType", Self.validContentType, &validType, &violations)
        var hash: String?
        CustomerValidator.normalise(expectedSHA256, field: "sha256", Self.validSHA256, &hash, &violations)
        if let expectedSize, expectedSize < 0 {
            violations.append(FieldViolation(field: "size", reason: "must not be negative"))
        }
        if limit < 1 { violations.append(FieldViolation(field: "limit", reason: "must be at least 1 byte")) }
        guard let validName, violations.isEmpty else { throw StoreError.invalidArgument(violations) }
        if let expectedSize, expectedSize > limit {
            throw StoreError.resourceExhausted("a file of \(expectedSize) bytes exceeds the limit of \(limit) bytes")
        }
        try read { try Self.checkAttachmentTarget($0, customerID: customerID, projectID: projectID, by: author) }
        let (descriptor, temporaryPath) = try blobs.makeTemporaryFile()
        let target = FileUpload.Target(customerID: customerID, projectID: projectID, name: validName,
                                       contentType: validType, expectedSize: expectedSize, expectedSHA256: hash,
                                       limit: limit, author: author)
        return FileUpload(store: self, target: target, descriptor: descriptor, temporaryPath: temporaryPath)
    }

    /// The files of a customer and of its projects: the customer's own first, then by project, each by id.
    /// - Throws: `notFound` (customer).
    public func files(customerID: Int64) throws -> [StoredFile] {
        try read { connection in
            try Self.requireWritableCustomer(connection, customerID: customerID)
            return try AttachmentRow.files(connection, key: customerID, byCustomer: true)
        }
    }

    /// The file with this id. - Throws: `notFound`.
    public func file(id: Int64) throws -> StoredFile {
        try read { try Self.requireFile($0, id: id) }
    }

    /// Streams a file's content to `body` in chunks of at most `chunkSize` bytes, checking it
    /// against the stored size and SHA-256 on the way: a damaged blob fails after its last chunk,
    /// so a reader must keep what it got until the call succeeds (`customerctl files download --to`
    /// renames its temporary file only then).
    ///
    /// - Returns: the file's metadata.
    /// - Throws: `notFound` (file), `dataLoss` (its content is missing or damaged: uploading the
    ///   same content again repairs it), `invalidArgument` on `chunkSize`, `io`, or what `body` throws.
    @discardableResult
    public func readFile(id: Int64, chunkSize: Int = defaultReadChunkSize,
                         _ body: ([UInt8]) throws -> Void) throws -> StoredFile {
        guard chunkSize > 0 else { throw StoreError.invalid("chunkSize", "must be at least 1 byte") }
        let file = try self.file(id: id)
        guard let content = try blobs.read(sha256: file.sha256, chunkSize: chunkSize, body) else {
            throw StoreError.dataLoss("the content of file \(id) is missing; upload it again to restore it")
        }
        guard content == BlobContent(size: file.size, sha256: file.sha256) else {
            throw StoreError.dataLoss("the content of file \(id) is damaged: it no longer matches its size and "
                + "SHA-256; upload it again to repair it")
        }
        return file
    }

    /// Renames a file. - Throws: `notFound`, `invalidArgument` on `name`, `brokenRule` (user).
    public func renameFile(id: Int64, name: String, by author: Author) throws -> StoredFile {
        var violations: [FieldViolation] = []
        guard let validName = Self.validFileName(name, field: "name").value(into: &violations) else {
            throw StoreError.invalidArgument(violations)
        }
        return try write { connection in
            let current = try Self.requireFile(connection, id: id)
            try Self.requireWritableCustomer(connection, customerID: current.customerID, field: "id")
            try Self.requireActingUser(connection, author)
            if HistoryLog.isUnchanged(from: [SQLValue(current.name)], to: [SQLValue(validName)]) { return current }
            let now = nextUpdatedAt(after: current.updatedAt)
            try connection.run("UPDATE files SET name = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                               [.text(validName), .integer(now), .integer(author.userID), .integer(id)])
            try Self.recordAttachmentChange(connection, customerID: current.customerID, field: "files.\(id)",
                                            from: current.name, to: validName, at: now, by: author)
            return try Self.requireFile(connection, id: id)
        }
    }

    /// Removes a file; its content is deleted when no other file has the same content.
    /// Inside a keyed write the row goes in that write's transaction and the content once it has
    /// committed (``BlobsToUnlink``).
    /// - Returns: the removed file's metadata.
    /// - Throws: `notFound`, `brokenRule` (user).
    @discardableResult
    public func removeFile(id: Int64, by author: Author) throws -> StoredFile {
        if access == .insideKeyedWrite {
            let (file, referenced) = try write { try Self.deleteFile($0, id: id, by: author, at: nowMilliseconds()) }
            if !referenced { blobsToUnlink.add(file.sha256) }
            return file
        }
        // The blob is deleted after the commit but before the writer is released, so an upload of
        // the same content (which places its blob under the writer too) cannot reuse it in between.
        return try withWriter { connection, admit in
            try admit()
            let (file, referenced) = try connection.transaction("BEGIN IMMEDIATE") {
                try Self.deleteFile(connection, id: id, by: author, at: nowMilliseconds())
            }
            // The row is gone (committed); a blob that cannot be unlinked only wastes space.
            if !referenced { try? blobs.remove(sha256: file.sha256) }
            return file
        }
    }

    /// Deletes a file's row and records it in the customer's history.
    /// - Returns: the file, and whether another row still names its content.
    private static func deleteFile(_ connection: SQLiteConnection, id: Int64, by author: Author, at now: Int64) throws
        -> (StoredFile, referenced: Bool)
    {
        let file = try requireFile(connection, id: id)
        try requireWritableCustomer(connection, customerID: file.customerID, field: "id")
        try requireActingUser(connection, author)
        try connection.run("DELETE FROM files WHERE id = ?", [.integer(id)])
        try recordAttachmentChange(connection, customerID: file.customerID, field: "files.\(id)",
                                   from: file.name, to: nil, at: now, by: author)
        return (file, try blobIsReferenced(connection, sha256: file.sha256))
    }

    /// Unlinks the contents keyed removals left without a row (``BlobsToUnlink``), each only when
    /// still no row names it, with the writer held: called after the keyed write's COMMIT (or its
    /// rollback, which left the row: then nothing goes). One that cannot be unlinked only wastes
    /// space until the next start's sweep.
    func unlinkBlobsKeyedWritesLeft() {
        let digests = blobsToUnlink.take()
        guard !digests.isEmpty else { return }
        try? writer.withConnection { connection in
            for sha256 in digests where (try? Self.blobIsReferenced(connection, sha256: sha256)) == false {
                try? blobs.remove(sha256: sha256)
            }
        }
    }

    // MARK: Upload completion

    /// Places an upload's content at its address and inserts its row, holding the writer from the
    /// first to the last step (see `removeFile`). `settle` runs in the row's transaction with the
    /// content's SHA-256 and what inserts the row, and says what the upload came to (a keyed upload looks its key up first, see
    /// ``FileUpload/finish(claim:answer:)``). A new blob no row names afterwards (its row could not
    /// be inserted, or `settle` inserted none) is removed, also when this view's admission (asked
    /// last before the COMMIT) throws.
    func storeUpload<Result>(_ target: FileUpload.Target, temporaryPath: String, sha256: String, size: Int64,
                             settle: (SQLiteConnection, _ sha256: String, _ insert: () throws -> StoredFile) throws -> Result)
        throws -> Result
    {
        let existingIsIntact = blobs.isIntact(sha256: sha256, size: size)
        return try withWriter(named: "FileUpload.finish()") { connection, admit in
            let isNew = try blobs.place(temporaryPath: temporaryPath, sha256: sha256, size: size,
                                        existingIsIntact: existingIsIntact)
            let removeIfUnnamed = { [blobs] in
                if isNew, (try? Self.blobIsReferenced(connection, sha256: sha256)) == false {
                    try? blobs.remove(sha256: sha256)
                }
            }
            var inserted = false
            do {
                let result = try connection.transaction("BEGIN IMMEDIATE") {
                    let result = try settle(connection, sha256) {
                        try Self.checkAttachmentTarget(connection, customerID: target.customerID, projectID: target.projectID,
                                                       by: target.author)
                        let now = nowMilliseconds()
                        try connection.run("""
                            INSERT INTO files (customer_id, project_id, name, size, sha256, content_type, created_at, created_by,
                                updated_at, updated_by)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """, [.integer(target.customerID), SQLValue(target.projectID), .text(target.name), .integer(size),
                                  .text(sha256), SQLValue(target.contentType), .integer(now), .integer(target.author.userID),
                                  .integer(now), .integer(target.author.userID)])
                        let id = connection.lastInsertRowID
                        try Self.recordAttachmentChange(connection, customerID: target.customerID, field: "files.\(id)",
                                                        from: nil, to: target.name, at: now, by: target.author)
                        inserted = true
                        return try Self.requireFile(connection, id: id)
                    }
                    try admit()
                    return result
                }
                // Its row names it (committed), unless `settle` inserted none (a key used before).
                if !inserted { removeIfUnnamed() }
                return result
            } catch {
                removeIfUnnamed()
                throw error
            }
        }
    }

    // MARK: Blobs a crash left

    /// Deletes every blob no `files` row names: at open no upload or removal is running, so such a
    /// blob was left by one a kill cut between its two steps (an upload's content placed, its row
    /// not committed: it was never acknowledged; a removal committed, its blob not yet unlinked).
    /// - Returns: how many were deleted.
    @discardableResult
    static func removeUnreferencedBlobs(_ connection: SQLiteConnection, blobs: BlobStore) throws -> Int {
        let stored = blobs.storedDigests()
        guard !stored.isEmpty else { return 0 }
        // One scan of the digests' index, not a lookup per blob (a third of the time at 5 000 blobs).
        let referenced = try connection.withStatement("SELECT DISTINCT sha256 FROM files") { statement in
            var digests = Set<String>()
            while try statement.step() { digests.insert(statement.text(0)) }
            return digests
        }
        var removed = 0
        // One that cannot be unlinked only wastes space (as after `removeFile`): no reason to refuse the start.
        for sha256 in stored where !referenced.contains(sha256) && (try? blobs.remove(sha256: sha256)) != nil {
            removed += 1
        }
        return removed
    }

    // MARK: Helpers

    static func requireFile(_ connection: SQLiteConnection, id: Int64) throws -> StoredFile {
        guard let file = try AttachmentRow.files(connection, key: id, byCustomer: false).first else {
            throw StoreError.notFound("file \(id) does not exist")
        }
        return file
    }

    private static func blobIsReferenced(_ connection: SQLiteConnection, sha256: String) throws -> Bool {
        try connection.withStatement("SELECT EXISTS (SELECT 1 FROM files WHERE sha256 = ?)") {
            try $0.bind(.text(sha256), at: 1)
            return try $0.step() && $0.int64(0) != 0
        }
    }

    /// 64 hex digits, either case; normalised to lower case.
    static func validSHA256(_ raw: String) -> CustomerValidator.Checked {
        let hex = raw.lowercased()
        guard hex.utf8.count == 64, Hex.decode(hex) != nil else {
            return .failure(FieldViolation(field: "sha256", reason: "must be 64 hexadecimal digits"))
        }
        return .success(hex)
    }

    /// A media type "type/subtype" (parameters allowed), printable ASCII, at most 255 characters.
    static func validContentType(_ raw: String) -> CustomerValidator.Checked {
        let value = raw
        let printable = value.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) || $0 == " " }
        guard TextInput.length(value) <= maxContentType, printable, value.contains("/") else {
            return .failure(FieldViolation(field: "contentType", reason: "must be a media type such as application/pdf"))
        }
        return .success(value)
    }
}

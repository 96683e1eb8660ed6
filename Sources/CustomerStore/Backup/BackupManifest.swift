import Foundation
import Hashing

/// The last file a backup writes (`MANIFEST`, beside `customers.sqlite` and its `.files` folder):
/// what the backup holds, so a restore can check it got all of it.
///
/// Written after the copy was checked and synced, into a folder that is renamed into place only
/// afterwards: a folder without a manifest is a backup cut off midway and is refused.
public struct BackupManifest: Sendable, Hashable {
    /// The format's first line; a later format gets a new number, and an older binary refuses it.
    static let header = "customercard-backup 1"
    static let fileName = "MANIFEST"
    /// The database's name inside a backup; its blobs are in `customers.sqlite.files`, as beside a
    /// live database, so `BlobStore` addresses both the same way.
    static let databaseName = "customers.sqlite"

    /// When the copy was complete (milliseconds since 1970 UTC).
    public var createdAt: Int64
    /// The schema version (`PRAGMA user_version`) of the copy.
    public var schemaVersion: Int
    /// The database file's size in bytes.
    public var databaseBytes: Int64
    public var customers: Int64
    /// Distinct stored file contents (blobs) the copy references.
    public var files: Int64
    /// Their total size in bytes.
    public var fileBytes: Int64
    /// The idempotency key the backup was made under, with its answer; nil without one.
    public var key: Key?

    /// A keyed backup's key and answer, published with the backup in its manifest (a backup's
    /// write is its published folder: the key's row in the live database is written after it, and
    /// a retry that finds no row looks here, see ``CustomerStore/backup(to:pagesPerStep:isAbandoned:publishing:claim:answer:)``).
    /// One line `idempotency-key USER KEY REQUEST-SHA256 ANSWER-HEX`, which a binary before it ignores.
    public struct Key: Sendable, Hashable {
        public var userID: Int64
        public var key: String
        public var requestSHA256: String
        /// The encoded answer of the call that made the backup.
        public var answer: [UInt8]

        static let lineName = "idempotency-key"

        var line: String {
            "\(Self.lineName) \(userID) \(key) \(requestSHA256) \(Hex.encode(answer))"
        }

        /// Reads `line`'s fields (after its name); nil when it is not such a line.
        init?(line: String) {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 5, fields[0] == Self.lineName, let userID = Int64(fields[1]),
                  let answer = Hex.decode(fields[4]) else { return nil }
            self.init(userID: userID, key: fields[2], requestSHA256: fields[3], answer: answer)
        }

        init(userID: Int64, key: String, requestSHA256: String, answer: [UInt8]) {
            self.userID = userID
            self.key = key
            self.requestSHA256 = requestSHA256
            self.answer = answer
        }
    }

    /// The manifest's text: one `key value` line each, so an operator can read it with `cat`.
    var text: String {
        """
        \(Self.header)
        created-at \(createdAt)
        schema-version \(schemaVersion)
        database-bytes \(databaseBytes)
        customers \(customers)
        files \(files)
        file-bytes \(fileBytes)
        \(key.map { $0.line + "\n" } ?? "")
        """
    }

    init(createdAt: Int64, schemaVersion: Int, databaseBytes: Int64, customers: Int64, files: Int64, fileBytes: Int64,
         key: Key? = nil) {
        self.key = key
        self.createdAt = createdAt
        self.schemaVersion = schemaVersion
        self.databaseBytes = databaseBytes
        self.customers = customers
        self.files = files
        self.fileBytes = fileBytes
    }

    /// The most bytes a manifest is read: one this server writes is a few hundred (seven lines and
    /// a key's line with its encoded answer), so a larger file is no manifest of ours, and reading
    /// whatever size it has would take that much memory (fuzz28).
    static let maxBytes = 64 * 1_024

    /// Reads the manifest of the backup in `directory`.
    /// - Throws: `failedPrecondition` naming what is missing, too large or malformed.
    init(readingFrom directory: String) throws {
        let path = directory + "/" + Self.fileName
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.failedPrecondition(
                "\(directory) is not a complete backup: it has no \(Self.fileName) (a backup cut off midway has none)", field: "from")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: Self.maxBytes + 1) ?? Data()
        } catch {
            throw StoreError.failedPrecondition("\(path) cannot be read: \(error)", field: "from")
        }
        guard data.count <= Self.maxBytes else {
            throw StoreError.failedPrecondition(
                "\(path) is larger than \(Self.maxBytes) bytes, so it is no manifest of a backup (one is a few hundred)",
                field: "from")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.first == Self.header else {
            throw StoreError.failedPrecondition("\(path) does not start with '\(Self.header)'", field: "from")
        }
        var values: [String: Int64] = [:]
        key = nil
        for line in lines.dropFirst() {
            if let key = Key(line: line) { self.key = key }
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2, let value = Int64(parts[1]) { values[parts[0]] = value }
        }
        func value(_ key: String) throws -> Int64 {
            guard let value = values[key], value >= 0 else {
                throw StoreError.failedPrecondition("\(path) has no valid '\(key)' line", field: "from")
            }
            return value
        }
        createdAt = try value("created-at")
        schemaVersion = Int(clamping: try value("schema-version"))
        databaseBytes = try value("database-bytes")
        customers = try value("customers")
        files = try value("files")
        fileBytes = try value("file-bytes")
    }
}

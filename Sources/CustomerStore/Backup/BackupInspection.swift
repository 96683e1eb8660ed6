import CSQLite

/// What a database copy holds, read on a connection to the copy after SQLite's full
/// `integrity_check` found nothing: the facts a manifest records and a restore checks.
struct BackupInspection {
    var schemaVersion: Int
    var customers: Int64
    /// Every distinct stored file content the copy references, with its recorded size.
    var blobs: [(sha256: String, size: Int64)]

    var fileBytes: Int64 { blobs.reduce(0) { $0 &+ $1.size } }

    /// How many problems integrity_check lists before it stops: enough to say what is wrong.
    static let findingsListed = 5

    /// Checks the copy (integrity_check: every page, and that every index matches its table) and
    /// reads its counts.
    /// - Throws: `dataLoss` with SQLite's findings when the copy is damaged.
    init(checking connection: SQLiteConnection) throws {
        var findings: [String] = []
        do {
            try connection.withStatement("PRAGMA integrity_check(\(Self.findingsListed))") { statement in
                while try statement.step() { findings.append(statement.optionalText(0) ?? "") }
            }
        } catch StoreError.sqlite(let code, let message, _) where code & 0xFF == SQLITE_CORRUPT || code & 0xFF == SQLITE_NOTADB {
            findings = [message]
        } catch StoreError.notADatabase {
            findings = ["file is not a database"]
        }
        guard findings == ["ok"] else {
            throw StoreError.dataLoss(
                "the copy \(connection.path) is damaged (SQLite integrity_check: \(findings.joined(separator: "; ")))")
        }
        schemaVersion = Int(try connection.pragma("user_version") ?? "0") ?? 0
        customers = try connection.withStatement("SELECT count(*) FROM customers") { statement in
            try statement.step() ? statement.int64(0) : 0
        }
        var blobs: [(sha256: String, size: Int64)] = []
        try connection.withStatement("SELECT sha256, max(size) FROM files GROUP BY sha256 ORDER BY sha256") { statement in
            while try statement.step() {
                blobs.append((statement.optionalText(0) ?? "", statement.int64(1)))
            }
        }
        self.blobs = blobs
    }
}

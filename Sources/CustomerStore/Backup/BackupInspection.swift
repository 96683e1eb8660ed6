import SQLiteEngine

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
        let findings = try connection.integrityCheck(limit: Self.findingsListed)
        guard findings == ["ok"] else {
            throw StoreError.dataLoss(
                "the copy \(connection.path) is damaged (SQLite integrity_check: \(findings.joined(separator: "; ")))")
        }
        schemaVersion = try Migrations.currentVersion(of: connection)
        customers = try connection.withStatement("SELECT count(*) AS customers FROM customers") { statement in
            try statement.step() ? try statement.int64("customers") : 0
        }
        var blobs: [(sha256: String, size: Int64)] = []
        try connection.withStatement("SELECT sha256, max(size) AS size FROM files GROUP BY sha256 ORDER BY sha256") { statement in
            while try statement.step() {
                blobs.append((try statement.text("sha256"), try statement.int64("size")))
            }
        }
        self.blobs = blobs
    }
}

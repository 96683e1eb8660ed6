import RPCCore

/// `customer.v1.MaintenanceService`: looking after the server's data while it serves.
public enum MaintenanceService {
    public static let name = "customer.v1.MaintenanceService"

    public static let backup = UnaryMethod<BackupRequest, BackupResponse>(
        service: name, method: "Backup",
        summary: "Writes a checked copy of the database and its files into the folder `to`, as the server's user, "
            + "while serving; writers wait for one step at a time. A missing `to` folder is created, an existing "
            + "non-empty one refused (ALREADY_EXISTS); a relative path, one with a control character (a line "
            + "break, an escape) and the live database's own files (the database, the files beside it named after it "
            + "such as `customers.sqlite-wal` and the `customers.sqlite.files` folder, and anything inside them) are "
            + "INVALID_ARGUMENT. With an idempotency key the "
            + "key and the answer are published in the backup's MANIFEST with it; a retry answers the first backup's "
            + "answer, also once that backup was removed (send a new key for a new backup), and a call under the key "
            + "of a backup still running waits for its end and answers so (another request under it: FAILED_PRECONDITION).",
        acceptsIdempotencyKey: true)
}

import CustomerStore
import Foundation

/// `customerd --restore`: puts a backup made by `MaintenanceService.Backup` in place as the
/// configured database, with the server stopped (the store checks the backup and holds the
/// database's lock while it writes).
public enum BackupRestore {
    /// Restores `backup` (a relative path is taken from the current directory: this runs in the
    /// operator's own process) into `configuration.databasePath`.
    /// - Returns: one line saying what was restored, for the operator.
    /// - Throws: ``StoreOpeningError`` `.inUse` while a server runs; `StoreError` when the backup
    ///   is incomplete or damaged, another user could have written it, or data is there and
    ///   `force` is false.
    public static func restore(from backup: String, configuration: CustomerServerConfiguration, force: Bool) throws -> String {
        let absolute = backup.hasPrefix("/") ? backup : FileManager.default.currentDirectoryPath + "/" + backup
        let folder = (absolute as NSString).standardizingPath
        let manifest = try CustomerStore.restore(from: folder, toDatabase: configuration.databasePath, force: force)
        let created = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(manifest.createdAt) / 1_000))
        return "restored \(folder) (made \(created): \(manifest.customers) customers, \(manifest.files) files, "
            + "\(manifest.databaseBytes + manifest.fileBytes) bytes) into \(configuration.databasePath)"
    }
}

import SQLiteEngine

/// A unique name the unicode23 migration (`Migrations.nameFolds`) renamed because an older row
/// had the same name once folded (`UniqueName.fold`: case, canonical and compatibility form,
/// format characters): what the server logs as a warning, and
/// what the administrator may resolve (rename or delete either one).
public struct RenamedName: Sendable, Equatable {
    /// The table of both rows (`users`, `permission_profiles`, `industries`, `labels`, `segments`).
    public let table: String
    public let id: Int64
    public let oldName: String
    public let newName: String
    /// The older row, which kept the name.
    public let keptID: Int64
    public let keptName: String

    /// Every renaming the migration recorded, in the order it made them.
    static func all(_ connection: SQLiteConnection) throws -> [RenamedName] {
        try connection.withStatement(
            "SELECT table_name, row_id, old_name, new_name, kept_id, kept_name FROM renamed_names ORDER BY rowid") { statement in
            var renamed: [RenamedName] = []
            while try statement.step() {
                renamed.append(RenamedName(table: statement.text(0), id: statement.int64(1), oldName: statement.text(2),
                                           newName: statement.text(3), keptID: statement.int64(4),
                                           keptName: statement.text(5)))
            }
            return renamed
        }
    }
}

import SQLiteEngine

/// A unique name a name-fold migration (`Migrations.nameFolds`, `Migrations.ignorableNameFolds`)
/// renamed because an older row had the same name once folded (`UniqueName.fold`: case,
/// canonical and compatibility form, characters that do not show): what the server logs as a
/// warning, and what the administrator may resolve (rename or delete either one).
public struct RenamedName: Sendable, Equatable {
    /// The table of both rows (`users`, `permission_profiles`, `industries`, `labels`, `segments`).
    public let table: String
    public let id: Int64
    public let oldName: String
    public let newName: String
    /// The older row, which kept the name.
    public let keptID: Int64
    public let keptName: String

    /// The renamings recorded by the name-fold migrations among `applied` (26, 27), in the order
    /// they made them: what the start that ran them logs.
    static func recorded(by applied: [Int], _ connection: SQLiteConnection) throws -> [RenamedName] {
        let folds = [Migrations.nameFolds.version, Migrations.ignorableNameFolds.version].filter(applied.contains)
        guard let first = folds.first else { return [] }
        // Before version 27 the table has no `migration` column, and every row is version 26's.
        let filter = applied.contains(Migrations.ignorableNameFolds.version) ? " WHERE migration >= \(first)" : ""
        return try connection.withStatement(
            "SELECT table_name, row_id, old_name, new_name, kept_id, kept_name FROM renamed_names\(filter) ORDER BY rowid"
        ) { statement in
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

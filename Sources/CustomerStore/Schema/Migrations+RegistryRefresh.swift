import SQLiteEngine

extension Migrations {
    /// Version 6: what VAT number checks and registry refreshes need.
    ///
    /// - The VAT number index makes the duplicate check on every create and VAT change one index
    ///   probe. It is partial: most customers have no VAT number, and `vat_number = ?` implies
    ///   `vat_number IS NOT NULL`, so SQLite still uses it for that lookup (SQLite docs,
    ///   "Partial Indexes", 3.1).
    /// - `history.source` says where a change came from when it was not typed by the caller,
    ///   e.g. `registry: PRH YTJ open data v3 <URL>`; NULL for a caller's own edit. A column rather
    ///   than a new action: the action stays what happened (`updated`, `created`), and the CHECK
    ///   on `history.action` cannot be widened without rebuilding the table. ADD COLUMN with a
    ///   NULL default leaves existing rows untouched (SQLite ALTER TABLE docs).
    static let registryRefresh = Migration(version: 6, name: "VAT number index and history source", sql: """
        CREATE INDEX customers_by_vat_number ON customers (vat_number) WHERE vat_number IS NOT NULL;
        ALTER TABLE history ADD COLUMN source TEXT CHECK (source IS NULL OR length(source) > 0);
        """)
}

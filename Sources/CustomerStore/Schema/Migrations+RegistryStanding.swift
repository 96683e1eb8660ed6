import SQLiteEngine

extension Migrations {
    /// Version 10: what a customer keeps of its business identity and its registry's word.
    ///
    /// - `business_id`: the national business id (`0112038-9`, a bare Norwegian organisation
    ///   number), which a customer may have without a VAT number (a Norwegian company outside the
    ///   VAT register), and which search matches in any spelling.
    /// - `registry_status` and `registry_checked_at`: the standing the last registry refresh read
    ///   (`bankruptcy since 2024-01-15 (KONK)`) and when, in milliseconds like every timestamp.
    ///
    /// ADD COLUMN with a NULL default leaves existing rows untouched (SQLite ALTER TABLE docs):
    /// customers written before keep no business id until their VAT number is next written.
    static let registryStanding = Migration(version: 10, name: "business id and registry status", sql: """
        ALTER TABLE customers ADD COLUMN business_id TEXT CHECK (business_id IS NULL OR length(business_id) > 0);
        ALTER TABLE customers ADD COLUMN registry_status TEXT
            CHECK (registry_status IS NULL OR length(registry_status) > 0);
        ALTER TABLE customers ADD COLUMN registry_checked_at INTEGER;
        """)
}

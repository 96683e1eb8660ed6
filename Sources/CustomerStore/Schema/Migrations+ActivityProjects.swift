import SQLiteEngine

extension Migrations {
    /// Version 14: an activity may belong to one of its customer's projects, and customers stored
    /// before version 10 get the business id their VAT number names.
    ///
    /// - `activities.project_id`: the project (or sales case: winning one keeps its row and id) a
    ///   note, task or event belongs to; NULL for most. ADD COLUMN with a REFERENCES clause is
    ///   allowed while foreign keys are enforced only because its default is NULL (SQLite docs,
    ///   "ALTER TABLE", 5). ON DELETE SET NULL: no code deletes projects today, but an activity
    ///   outlives the project it was about, as it outlives a deleted contact. That the project is
    ///   the activity's own customer's is checked by the store (a trigger would refuse merging
    ///   customers whose activities move before their projects).
    /// - The view's activity branch reads the project's name through a LEFT JOIN, so the card and
    ///   the activity list show and filter both kinds of entries by project the same way.
    /// - `business_id_backfill`: the customers whose business id is missing while a VAT number is
    ///   stored (written before version 10 added the column). Deriving it needs the country rules,
    ///   which live outside SQL (see `VATNumberNormaliser`), so the store works this list off at
    ///   open (``CustomerStore/backfillBusinessIDs(_:normaliser:)``): a list rather than a scan at
    ///   every open, so customers whose number names no business id (a German one) are read once.
    static let activityProjects = Migration(version: 14, name: "activity projects and business id backfill", sql: """
        ALTER TABLE activities ADD COLUMN project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL;
        -- Partial: most activities have no project, and "project_id = ?" implies "IS NOT NULL"
        -- (SQLite docs, "Partial Indexes", 3.1); it also serves the foreign key's ON DELETE lookup.
        CREATE INDEX activities_by_project ON activities (project_id) WHERE project_id IS NOT NULL;
        DROP VIEW customer_activity_items;
        CREATE VIEW customer_activity_items AS
        SELECT a.id, a.customer_id, a.kind, a.subject, a.due_at, a.starts_at, a.ends_at, a.assignee_id, a.contact_id,
               a.completed_at, a.completed_by, a.project_id, p.name AS project_name,
               a.version, a.created_at, a.created_by, a.updated_at, a.updated_by, a.time_zone
        FROM activities a LEFT JOIN projects p ON p.id = a.project_id
        UNION ALL
        SELECT t.id, p.customer_id, 'projectTask', t.name, CAST(strftime('%s', t.due_on) AS INTEGER) * 1000, NULL, NULL,
               t.assignee_id, NULL, t.completed_at, t.completed_by, p.id, p.name,
               t.version, t.created_at, t.created_by, t.updated_at, t.updated_by, NULL
        FROM project_tasks t JOIN projects p ON p.id = t.project_id;

        -- A set of customer ids, not records of its own: no rowid, and no id of its own to expose.
        CREATE TABLE business_id_backfill (customer_id INTEGER PRIMARY KEY) WITHOUT ROWID;
        INSERT INTO business_id_backfill (customer_id)
        SELECT id FROM customers WHERE business_id IS NULL AND vat_number IS NOT NULL;
        """)
}

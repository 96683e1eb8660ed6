import SQLiteEngine

extension Migrations {
    /// Version 11: customers can be erased, activities edited and removed (issue 16 §3-4).
    ///
    /// - `customers.deleted`: an erased customer leaves a tombstone, as a contact does. A column
    ///   and not a rebuild: `name` stays NOT NULL with its length CHECK (changing either means
    ///   rebuilding the table every other one refers to), so a tombstone keeps its number there as
    ///   text, which is no personal data and which no read shows.
    /// - `activities.time_zone`: the zone a task's due time or an event's times were given in (an
    ///   IANA name or `GMT+0200`), so they are shown as they were meant; NULL for older rows and a
    ///   note. The view gains it as its last column (NULL for project tasks, which have a date).
    /// - History entries for activities: one more entity.
    /// ADD COLUMN with a constant or NULL default leaves existing rows as they are (SQLite docs,
    /// "ALTER TABLE").
    static let customerErasure = Migration(version: 11, name: "customer tombstones, activity history and zones", sql: """
        ALTER TABLE customers ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1));
        ALTER TABLE activities ADD COLUMN time_zone TEXT CHECK (time_zone IS NULL OR length(time_zone) BETWEEN 1 AND 64);
        INSERT INTO history_entities (name) VALUES ('activity');
        DROP VIEW customer_activity_items;
        CREATE VIEW customer_activity_items AS
        SELECT id, customer_id, kind, subject, due_at, starts_at, ends_at, assignee_id, contact_id,
               completed_at, completed_by, NULL AS project_id, NULL AS project_name,
               version, created_at, created_by, updated_at, updated_by, time_zone
        FROM activities
        UNION ALL
        SELECT t.id, p.customer_id, 'projectTask', t.name, CAST(strftime('%s', t.due_on) AS INTEGER) * 1000, NULL, NULL,
               t.assignee_id, NULL, t.completed_at, t.completed_by, p.id, p.name,
               t.version, t.created_at, t.created_by, t.updated_at, t.updated_by, NULL
        FROM project_tasks t JOIN projects p ON p.id = t.project_id;
        """)
}

import Foundation

/// The SELECTs that read activities through the `customer_activity_items` view, and their decoding.
enum ActivityRow {
    /// `?1` is now (milliseconds): it decides whether an event has ended. `done` is column 25,
    /// the time zone 26.
    private static let select = """
        SELECT i.id, i.customer_id, i.kind, i.subject, i.due_at, i.starts_at, i.ends_at,
               i.assignee_id, au.name, i.contact_id, k.first_name, k.last_name, k.deleted,
               i.completed_at, i.completed_by, cu.name, i.project_id, i.project_name,
               i.version, i.created_at, i.created_by, cb.name, i.updated_at, i.updated_by, ub.name,
               CASE WHEN (i.kind IN ('task', 'projectTask') AND i.completed_at IS NULL) OR (i.kind = 'event' AND i.ends_at > ?1)
                    THEN 0 ELSE 1 END AS done, i.time_zone
        FROM customer_activity_items i
        LEFT JOIN users au ON au.id = i.assignee_id
        LEFT JOIN contacts k ON k.id = i.contact_id
        LEFT JOIN users cu ON cu.id = i.completed_by
        JOIN users cb ON cb.id = i.created_by
        JOIN users ub ON ub.id = i.updated_by
        """
    private static let byID = select + " WHERE i.id = ?2 AND i.project_id IS NULL"
    /// ONE query for the whole list: planned first (by due or start date, undated last, then id),
    /// then done (by completion, end or creation date, newest first, then newest id).
    private static let byCustomer = select + """
         WHERE i.customer_id = ?2
        ORDER BY done,
                 CASE WHEN done = 0 THEN coalesce(i.due_at, i.starts_at) IS NULL END,
                 CASE WHEN done = 0 THEN coalesce(i.due_at, i.starts_at) END,
                 CASE WHEN done = 0 THEN i.id END,
                 CASE WHEN done = 1 THEN coalesce(i.completed_at, i.ends_at, i.created_at) END DESC,
                 i.id DESC, i.kind
        """

    private static func decode(_ statement: SQLiteStatement) -> StoredActivity {
        func date(_ column: Int32) -> Date? { statement.optionalInt64(column).map(Date.init(milliseconds:)) }
        func user(_ column: Int32) -> StoredUserRef? {
            statement.optionalInt64(column).map { StoredUserRef(id: $0, name: statement.text(column + 1)) }
        }
        let contact = statement.optionalInt64(9).map { id in
            // A contact row is never removed while an activity names it (foreign key), so a missing
            // one cannot occur; it would read as deleted.
            let deleted = statement.optionalInt64(12).map { $0 != 0 } ?? true
            return StoredContactRef(id: id, name: deleted ? nil : StoredContactRef.displayName(statement.optionalText(10),
                                                                                 statement.optionalText(11)),
                              deleted: deleted)
        }
        return StoredActivity(
            id: statement.int64(0), customerID: statement.int64(1),
            kind: ActivityKind(rawValue: statement.text(2)) ?? .note, subject: statement.text(3),
            dueAt: date(4), startsAt: date(5), endsAt: date(6), assignee: user(7), contact: contact,
            done: statement.int64(25) != 0, completedAt: date(13), completedBy: user(14),
            projectID: statement.optionalInt64(16), projectName: statement.optionalText(17),
            version: statement.int64(18), createdAt: Date(milliseconds: statement.int64(19)),
            createdBy: StoredUserRef(id: statement.int64(20), name: statement.text(21)),
            updatedAt: Date(milliseconds: statement.int64(22)),
            updatedBy: StoredUserRef(id: statement.int64(23), name: statement.text(24)),
            timeZone: statement.optionalText(26))
    }

    /// One of the customer's own activities, or nil.
    static func fetch(_ connection: SQLiteConnection, id: Int64, now: Int64) throws -> StoredActivity? {
        try connection.withStatement(byID) { statement in
            try statement.bind([.integer(now), .integer(id)])
            return try statement.step() ? decode(statement) : nil
        }
    }

    /// The customer's activities split into planned and done, as of `now`.
    static func list(_ connection: SQLiteConnection, customerID: Int64, now: Int64) throws -> StoredActivityList {
        try connection.withStatement(byCustomer) { statement in
            try statement.bind([.integer(now), .integer(customerID)])
            var list = StoredActivityList(planned: [], done: [])
            while try statement.step() {
                let activity = decode(statement)
                if activity.done { list.done.append(activity) } else { list.planned.append(activity) }
            }
            return list
        }
    }
}

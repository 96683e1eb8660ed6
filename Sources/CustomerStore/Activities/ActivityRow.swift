import Foundation
import SQLiteEngine

/// The SELECTs that read activities through the `customer_activity_items` view, and their decoding.
enum ActivityRow {
    /// `?1` is now (milliseconds): it decides whether an event has ended.
    private static let select = """
        SELECT i.id, i.customer_id, i.kind, i.subject, i.due_at, i.starts_at, i.ends_at,
               i.assignee_id, au.name AS assignee_name, i.contact_id, k.first_name, k.last_name, k.deleted,
               i.completed_at, i.completed_by, cu.name AS completed_by_name, i.project_id, i.project_name,
               i.version, i.created_at, i.created_by, cb.name AS created_by_name, i.updated_at, i.updated_by,
               ub.name AS updated_by_name,
               CASE WHEN (i.kind IN ('task', 'projectTask') AND i.completed_at IS NULL) OR (i.kind = 'event' AND i.ends_at > ?1)
                    THEN 0 ELSE 1 END AS done, i.time_zone
        FROM customer_activity_items i
        LEFT JOIN users au ON au.id = i.assignee_id
        LEFT JOIN contacts k ON k.id = i.contact_id
        LEFT JOIN users cu ON cu.id = i.completed_by
        JOIN users cb ON cb.id = i.created_by
        JOIN users ub ON ub.id = i.updated_by
        """
    /// A customer's own note, task or event (a project task's id is another table's).
    private static let byID = select + " WHERE i.id = ?2 AND i.kind <> 'projectTask'"
    /// ONE query for the whole list: planned first (by due or start date, undated last, then id),
    /// then done (by completion, end or creation date, newest first, then newest id).
    private static let byCustomer = select + " WHERE i.customer_id = ?2" + order
    /// The list of one project's entries: its tasks and the activities linked to it.
    private static let byProject = select + " WHERE i.customer_id = ?2 AND i.project_id = ?3" + order
    private static let order = """

        ORDER BY done,
                 CASE WHEN done = 0 THEN coalesce(i.due_at, i.starts_at) IS NULL END,
                 CASE WHEN done = 0 THEN coalesce(i.due_at, i.starts_at) END,
                 CASE WHEN done = 0 THEN i.id END,
                 CASE WHEN done = 1 THEN coalesce(i.completed_at, i.ends_at, i.created_at) END DESC,
                 i.id DESC, i.kind
        """

    private static func decode(_ statement: SQLiteStatement) throws -> StoredActivity {
        func date(_ column: String) throws -> Date? { try statement.optionalInt64(column).map(Date.init(milliseconds:)) }
        func user(_ idColumn: String, _ nameColumn: String) throws -> StoredUserRef? {
            try statement.optionalInt64(idColumn).map { StoredUserRef(id: $0, name: try statement.text(nameColumn)) }
        }
        let id = try statement.int64("id"), customerID = try statement.int64("customer_id")
        let kind = ActivityKind(rawValue: try statement.text("kind")) ?? .note, subject = try statement.text("subject")
        let dueAt = try date("due_at"), startsAt = try date("starts_at"), endsAt = try date("ends_at")
        let assignee = try user("assignee_id", "assignee_name")
        let contact = try statement.optionalInt64("contact_id").map { id in
            let firstName = try statement.optionalText("first_name"), lastName = try statement.optionalText("last_name")
            // A contact row is never removed while an activity names it (foreign key), so a missing
            // one cannot occur; it would read as deleted.
            let deleted = try statement.optionalInt64("deleted").map { $0 != 0 } ?? true
            return StoredContactRef(id: id, name: deleted ? nil : StoredContactRef.displayName(firstName, lastName), deleted: deleted)
        }
        return StoredActivity(
            id: id, customerID: customerID, kind: kind, subject: subject,
            dueAt: dueAt, startsAt: startsAt, endsAt: endsAt, assignee: assignee, contact: contact,
            done: try statement.bool("done"), completedAt: try date("completed_at"), completedBy: try user("completed_by", "completed_by_name"),
            projectID: try statement.optionalInt64("project_id"), projectName: try statement.optionalText("project_name"),
            version: try statement.int64("version"), createdAt: Date(milliseconds: try statement.int64("created_at")),
            createdBy: StoredUserRef(id: try statement.int64("created_by"), name: try statement.text("created_by_name")),
            updatedAt: Date(milliseconds: try statement.int64("updated_at")),
            updatedBy: StoredUserRef(id: try statement.int64("updated_by"), name: try statement.text("updated_by_name")),
            timeZone: try statement.optionalText("time_zone"))
    }

    /// One of the customer's own activities, or nil.
    static func fetch(_ connection: SQLiteConnection, id: Int64, now: Int64) throws -> StoredActivity? {
        try connection.withStatement(byID) { statement in
            try statement.bind([.integer(now), .integer(id)])
            return try statement.step() ? try decode(statement) : nil
        }
    }

    /// The customer's activities split into planned and done, as of `now`; only those of
    /// `projectID` when it is given.
    static func list(_ connection: SQLiteConnection, customerID: Int64, projectID: Int64? = nil,
                     now: Int64) throws -> StoredActivityList {
        try connection.withStatement(projectID == nil ? byCustomer : byProject) { statement in
            try statement.bind([.integer(now), .integer(customerID)] + (projectID.map { [.integer($0)] } ?? []))
            var list = StoredActivityList(planned: [], done: [])
            while try statement.step() {
                let activity = try decode(statement)
                if activity.done { list.done.append(activity) } else { list.planned.append(activity) }
            }
            return list
        }
    }
}

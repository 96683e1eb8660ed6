import Foundation
import SQLiteEngine

/// The SELECTs that read project tasks and collaboration notes with their project's name, and
/// their decoding (user names through ``UserNames``). Both share one column layout, so the
/// collaboration tab is one UNION ALL query decoded row by row.
enum ProjectTaskRow {
    /// `item_kind` is 'task' or 'note'. A UNION ALL takes its column names from this first SELECT,
    /// and its ORDER BY may name only the columns aliased with AS here.
    private static let taskSelect = """
        SELECT 'task' AS item_kind, t.id AS id, t.project_id, p.name AS project_name, t.name, t.assignee_id,
               t.due_on, t.status, t.completed_at, t.completed_by, t.version, t.created_at AS created_at,
               t.created_by, t.updated_at, t.updated_by
        FROM project_tasks t
        JOIN projects p ON p.id = t.project_id
        """
    /// A note in the task layout: the text as the name, the author as the creator (named as in
    /// `taskSelect` for the note read alone).
    private static let noteSelect = """
        SELECT 'note' AS item_kind, n.id, n.project_id, p.name AS project_name, n.text AS name, NULL, NULL, NULL,
               NULL, NULL, NULL, n.created_at, n.author_id AS created_by, NULL, NULL
        FROM collaboration_notes n
        JOIN projects p ON p.id = n.project_id
        """
    private static let taskByID = taskSelect + " WHERE t.id = ?1"
    private static let noteByID = noteSelect + " WHERE n.id = ?1"
    /// Every task and note of every project of customer `?1`, newest first (tasks before notes of
    /// the same millisecond, then newest id): two index range scans per project, one statement.
    private static let byCustomer = taskSelect + " WHERE p.customer_id = ?1 UNION ALL " + noteSelect
        + " WHERE p.customer_id = ?1 ORDER BY created_at DESC, item_kind DESC, id DESC"

    private static func decodeTask(_ statement: SQLiteStatement, users: UserNames) throws -> StoredProjectTask {
        StoredProjectTask(
            id: try statement.int64("id"), projectID: try statement.int64("project_id"),
            projectName: try statement.text("project_name"), name: try statement.text("name"),
            assignee: try users.optionalRef(statement, "assignee_id"), dueOn: try statement.optionalText("due_on"),
            status: ProjectTaskStatus(rawValue: try statement.text("status")) ?? .planned,
            completedAt: try statement.optionalInt64("completed_at").map(Date.init(milliseconds:)),
            completedBy: try users.optionalRef(statement, "completed_by"),
            version: try statement.int64("version"), createdAt: .init(milliseconds: try statement.int64("created_at")),
            createdBy: try users.ref(statement, "created_by"),
            updatedAt: .init(milliseconds: try statement.int64("updated_at")),
            updatedBy: try users.ref(statement, "updated_by"))
    }

    private static func decodeNote(_ statement: SQLiteStatement, users: UserNames) throws -> StoredCollaborationNote {
        let id = try statement.int64("id"), projectID = try statement.int64("project_id")
        let projectName = try statement.text("project_name"), text = try statement.text("name")
        return StoredCollaborationNote(id: id, projectID: projectID, projectName: projectName,
                                 author: try users.ref(statement, "created_by"),
                                 text: text, createdAt: .init(milliseconds: try statement.int64("created_at")))
    }

    /// One project task, or nil.
    static func fetchTask(_ connection: SQLiteConnection, id: Int64) throws -> StoredProjectTask? {
        let users = UserNames(connection)
        return try connection.withStatement(taskByID) { statement in
            try statement.bind(id, at: 1)
            return try statement.step() ? try decodeTask(statement, users: users) : nil
        }
    }

    /// One collaboration note, or nil.
    static func fetchNote(_ connection: SQLiteConnection, id: Int64) throws -> StoredCollaborationNote? {
        let users = UserNames(connection)
        return try connection.withStatement(noteByID) { statement in
            try statement.bind(id, at: 1)
            return try statement.step() ? try decodeNote(statement, users: users) : nil
        }
    }

    /// The collaboration tab of a customer: ONE query whatever the number of projects.
    /// - Parameter users: the read's user names, when it reads more rows than these.
    static func collaboration(_ connection: SQLiteConnection, customerID: Int64,
                              users: UserNames? = nil) throws -> [StoredCollaborationItem] {
        let users = UserNames.of(connection, sharing: users)
        return try connection.withStatement(byCustomer) { statement in
            try statement.bind(customerID, at: 1)
            var items: [StoredCollaborationItem] = []
            while try statement.step() {
                items.append(try statement.text("item_kind") == "task" ? .task(try decodeTask(statement, users: users))
                                                                       : .note(try decodeNote(statement, users: users)))
            }
            return items
        }
    }
}

extension StoredProjectTask {
    /// The fields the history compares, by API name, as text (the assignee by name).
    var historyValues: HistoryLog.Values {
        [("name", name), ("assignee", assignee?.name), ("dueOn", dueOn), ("status", status.rawValue)]
    }
}

import Foundation
import SQLiteEngine

/// The SELECTs that read project tasks and collaboration notes with their project's and users'
/// names, and their decoding. Both share one column layout, so the collaboration tab is one
/// UNION ALL query decoded row by row.
enum ProjectTaskRow {
    /// `item_kind` is 'task' or 'note'. A UNION ALL takes its column names from this first SELECT,
    /// and its ORDER BY may name only the columns aliased with AS here.
    private static let taskSelect = """
        SELECT 'task' AS item_kind, t.id AS id, t.project_id, p.name AS project_name, t.name, t.assignee_id,
               au.name AS assignee_name, t.due_on, t.status, t.completed_at, t.completed_by,
               cu.name AS completed_by_name, t.version, t.created_at AS created_at, t.created_by, cb.name AS created_by_name,
               t.updated_at, t.updated_by, ub.name AS updated_by_name
        FROM project_tasks t
        JOIN projects p ON p.id = t.project_id
        LEFT JOIN users au ON au.id = t.assignee_id
        LEFT JOIN users cu ON cu.id = t.completed_by
        JOIN users cb ON cb.id = t.created_by
        JOIN users ub ON ub.id = t.updated_by
        """
    /// A note in the task layout: the text as the name, the author as the creator (named as in
    /// `taskSelect` for the note read alone).
    private static let noteSelect = """
        SELECT 'note' AS item_kind, n.id, n.project_id, p.name AS project_name, n.text AS name, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, n.created_at, n.author_id AS created_by, a.name AS created_by_name,
               NULL, NULL, NULL
        FROM collaboration_notes n
        JOIN projects p ON p.id = n.project_id
        JOIN users a ON a.id = n.author_id
        """
    private static let taskByID = taskSelect + " WHERE t.id = ?1"
    private static let noteByID = noteSelect + " WHERE n.id = ?1"
    /// Every task and note of every project of customer `?1`, newest first (tasks before notes of
    /// the same millisecond, then newest id): two index range scans per project, one statement.
    private static let byCustomer = taskSelect + " WHERE p.customer_id = ?1 UNION ALL " + noteSelect
        + " WHERE p.customer_id = ?1 ORDER BY created_at DESC, item_kind DESC, id DESC"

    private static func decodeTask(_ statement: SQLiteStatement) throws -> StoredProjectTask {
        func user(_ idColumn: String, _ nameColumn: String) throws -> StoredUserRef? {
            try statement.optionalInt64(idColumn).map { StoredUserRef(id: $0, name: try statement.text(nameColumn)) }
        }
        return StoredProjectTask(
            id: try statement.int64("id"), projectID: try statement.int64("project_id"),
            projectName: try statement.text("project_name"), name: try statement.text("name"),
            assignee: try user("assignee_id", "assignee_name"), dueOn: try statement.optionalText("due_on"),
            status: ProjectTaskStatus(rawValue: try statement.text("status")) ?? .planned,
            completedAt: try statement.optionalInt64("completed_at").map(Date.init(milliseconds:)),
            completedBy: try user("completed_by", "completed_by_name"),
            version: try statement.int64("version"), createdAt: .init(milliseconds: try statement.int64("created_at")),
            createdBy: StoredUserRef(id: try statement.int64("created_by"), name: try statement.text("created_by_name")),
            updatedAt: .init(milliseconds: try statement.int64("updated_at")),
            updatedBy: StoredUserRef(id: try statement.int64("updated_by"), name: try statement.text("updated_by_name")))
    }

    private static func decodeNote(_ statement: SQLiteStatement) throws -> StoredCollaborationNote {
        let id = try statement.int64("id"), projectID = try statement.int64("project_id")
        let projectName = try statement.text("project_name"), text = try statement.text("name")
        return StoredCollaborationNote(id: id, projectID: projectID, projectName: projectName,
                                 author: StoredUserRef(id: try statement.int64("created_by"), name: try statement.text("created_by_name")),
                                 text: text, createdAt: .init(milliseconds: try statement.int64("created_at")))
    }

    /// One project task, or nil.
    static func fetchTask(_ connection: SQLiteConnection, id: Int64) throws -> StoredProjectTask? {
        try connection.withStatement(taskByID) { statement in
            try statement.bind(id, at: 1)
            return try statement.step() ? try decodeTask(statement) : nil
        }
    }

    /// One collaboration note, or nil.
    static func fetchNote(_ connection: SQLiteConnection, id: Int64) throws -> StoredCollaborationNote? {
        try connection.withStatement(noteByID) { statement in
            try statement.bind(id, at: 1)
            return try statement.step() ? try decodeNote(statement) : nil
        }
    }

    /// The collaboration tab of a customer: ONE query whatever the number of projects.
    static func collaboration(_ connection: SQLiteConnection, customerID: Int64) throws -> [StoredCollaborationItem] {
        try connection.withStatement(byCustomer) { statement in
            try statement.bind(customerID, at: 1)
            var items: [StoredCollaborationItem] = []
            while try statement.step() {
                items.append(try statement.text("item_kind") == "task" ? .task(try decodeTask(statement))
                                                                       : .note(try decodeNote(statement)))
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

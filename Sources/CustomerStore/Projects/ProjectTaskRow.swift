import Foundation
import SQLiteEngine

/// The SELECTs that read project tasks and collaboration notes with their project's and users'
/// names, and their decoding. Both share one column layout, so the collaboration tab is one
/// UNION ALL query decoded row by row.
enum ProjectTaskRow {
    /// Column 0 is the item's kind ('task' or 'note'); column 13 its creation time.
    private static let taskSelect = """
        SELECT 'task', t.id, t.project_id, p.name, t.name, t.assignee_id, au.name, t.due_on, t.status,
               t.completed_at, t.completed_by, cu.name, t.version, t.created_at, t.created_by, cb.name,
               t.updated_at, t.updated_by, ub.name
        FROM project_tasks t
        JOIN projects p ON p.id = t.project_id
        LEFT JOIN users au ON au.id = t.assignee_id
        LEFT JOIN users cu ON cu.id = t.completed_by
        JOIN users cb ON cb.id = t.created_by
        JOIN users ub ON ub.id = t.updated_by
        """
    /// A note in the task layout: the text as the name, the author as the creator.
    private static let noteSelect = """
        SELECT 'note', n.id, n.project_id, p.name, n.text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               n.created_at, n.author_id, a.name, NULL, NULL, NULL
        FROM collaboration_notes n
        JOIN projects p ON p.id = n.project_id
        JOIN users a ON a.id = n.author_id
        """
    private static let taskByID = taskSelect + " WHERE t.id = ?1"
    private static let noteByID = noteSelect + " WHERE n.id = ?1"
    /// Every task and note of every project of customer `?1`, newest first (tasks before notes of
    /// the same millisecond, then newest id): two index range scans per project, one statement.
    private static let byCustomer = taskSelect + " WHERE p.customer_id = ?1 UNION ALL " + noteSelect
        + " WHERE p.customer_id = ?1 ORDER BY 14 DESC, 1 DESC, 2 DESC"

    private static func decodeTask(_ statement: SQLiteStatement) -> ProjectTask {
        func user(_ column: Int32) -> UserRef? {
            statement.optionalInt64(column).map { UserRef(id: $0, name: statement.text(column + 1)) }
        }
        return ProjectTask(
            id: statement.int64(1), projectID: statement.int64(2), projectName: statement.text(3),
            name: statement.text(4), assignee: user(5), dueOn: statement.optionalText(7),
            status: ProjectTaskStatus(rawValue: statement.text(8)) ?? .planned,
            completedAt: statement.optionalInt64(9).map(Date.init(milliseconds:)), completedBy: user(10),
            version: statement.int64(12), createdAt: .init(milliseconds: statement.int64(13)),
            createdBy: UserRef(id: statement.int64(14), name: statement.text(15)),
            updatedAt: .init(milliseconds: statement.int64(16)),
            updatedBy: UserRef(id: statement.int64(17), name: statement.text(18)))
    }

    private static func decodeNote(_ statement: SQLiteStatement) -> CollaborationNote {
        CollaborationNote(id: statement.int64(1), projectID: statement.int64(2), projectName: statement.text(3),
                          author: UserRef(id: statement.int64(14), name: statement.text(15)), text: statement.text(4),
                          createdAt: .init(milliseconds: statement.int64(13)))
    }

    /// One project task, or nil.
    static func fetchTask(_ connection: SQLiteConnection, id: Int64) throws -> ProjectTask? {
        try connection.withStatement(taskByID) { statement in
            try statement.bind(id, at: 1)
            return try statement.step() ? decodeTask(statement) : nil
        }
    }

    /// One collaboration note, or nil.
    static func fetchNote(_ connection: SQLiteConnection, id: Int64) throws -> CollaborationNote? {
        try connection.withStatement(noteByID) { statement in
            try statement.bind(id, at: 1)
            return try statement.step() ? decodeNote(statement) : nil
        }
    }

    /// The collaboration tab of a customer: ONE query whatever the number of projects.
    static func collaboration(_ connection: SQLiteConnection, customerID: Int64) throws -> [CollaborationItem] {
        try connection.withStatement(byCustomer) { statement in
            try statement.bind(customerID, at: 1)
            var items: [CollaborationItem] = []
            while try statement.step() {
                items.append(statement.text(0) == "task" ? .task(decodeTask(statement)) : .note(decodeNote(statement)))
            }
            return items
        }
    }
}

extension ProjectTask {
    /// The fields the history compares, by API name, as text (the assignee by name).
    var historyValues: HistoryLog.Values {
        [("name", name), ("assignee", assignee?.name), ("dueOn", dueOn), ("status", status.rawValue)]
    }
}

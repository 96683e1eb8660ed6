import Foundation
import SQLiteEngine

extension CustomerStore {
    static let maxProjectTaskName = 200

    /// Adds a planned task to a sales case or project; it shows on the collaboration tab and in the
    /// customer's activity list.
    /// - Parameter dueOn: 'YYYY-MM-DD'.
    /// - Throws: `notFound` (project); `invalidArgument` on `name`, `assignee`, `dueOn`;
    ///   `brokenRule` for an unknown acting user.
    public func addProjectTask(projectID: Int64, name: String, assigneeID: Int64?, dueOn: String?,
                               by author: Author) throws -> StoredProjectTask {
        let (columns, violations) = Self.taskColumns(ProjectTaskChanges(name: name, assigneeID: .some(assigneeID),
                                                                        dueOn: dueOn), onto: nil)
        return try write { connection in
            let project = try requireWritableProject(connection, id: projectID, field: "projectId")
            try Self.checkReferences(connection, user: columns.assigneeID, field: "assignee", violations: violations,
                                     by: author)
            let now = nowMilliseconds()
            try connection.run("""
                INSERT INTO project_tasks (project_id, name, assignee_id, due_on, status, version, created_at,
                    created_by, updated_at, updated_by)
                VALUES (?, ?, ?, ?, 'planned', 1, ?, ?, ?, ?)
                """, [.integer(projectID), .text(columns.name), SQLValue(columns.assigneeID), SQLValue(columns.dueOn),
                      .integer(now), .integer(author.userID), .integer(now), .integer(author.userID)])
            let id = connection.lastInsertRowID
            let task = try requireProjectTask(connection, id: id)
            try HistoryLog.append(connection, .projectTask, id: id, customerID: project.customerID, .created, at: now,
                                  by: author, changes: HistoryLog.creation(task.historyValues))
            return task
        }
    }

    /// Changes the given fields of a project task; version +1. When every given field equals the
    /// stored one once normalised, nothing is written and the task is returned as it is.
    /// - Throws: `notFound`, `aborted` on a stale `expectedVersion`, `invalidArgument` (every invalid field).
    public func updateProjectTask(id: Int64, _ changes: ProjectTaskChanges, expectedVersion: Int64?,
                                  by author: Author) throws -> StoredProjectTask {
        try write { connection in
            let current = try requireProjectTask(connection, id: id)
            _ = try requireWritableProject(connection, id: current.projectID)
            try Self.checkVersion(expectedVersion, current: current.version, of: "project task \(id)")
            let (columns, violations) = Self.taskColumns(changes, onto: current)
            try Self.checkReferences(connection, user: changes.assigneeID != nil ? columns.assigneeID : nil,
                                     field: "assignee", violations: violations, by: author)
            // Every given field as stored: the task as it is, nothing written (as a customer's update).
            if HistoryLog.isUnchanged(from: TaskColumns(current).values, to: columns.values) { return current }
            return try rewriteTask(connection, current, at: nextUpdatedAt(after: current.updatedAt), sql: """
                UPDATE project_tasks SET name = ?, assignee_id = ?, due_on = ?, version = version + 1, updated_at = ?,
                    updated_by = ?
                WHERE id = ?
                """, values: columns.values,
                action: .updated, by: author)
        }
    }

    /// Marks a project task done (now, by the caller) or planned again; unchanged when already so.
    /// - Throws: `notFound`; `brokenRule` for an unknown acting user.
    public func setProjectTaskDone(id: Int64, _ done: Bool, by author: Author) throws -> StoredProjectTask {
        try write { connection in
            let current = try requireProjectTask(connection, id: id)
            _ = try requireWritableProject(connection, id: current.projectID)
            guard (current.status == .done) != done else { return current }
            try Self.requireActingUser(connection, author)
            let now = nextUpdatedAt(after: current.updatedAt)
            return try rewriteTask(connection, current, at: now, sql: """
                UPDATE project_tasks SET status = ?, completed_at = ?, completed_by = ?, version = version + 1,
                    updated_at = ?, updated_by = ?
                WHERE id = ?
                """, values: [.text(done ? "done" : "planned"), done ? .integer(now) : .null, done ? .integer(author.userID) : .null],
                action: done ? .completed : .reopened, by: author)
        }
    }

    /// The project task with this id. - Throws: `notFound`.
    public func projectTask(id: Int64) throws -> StoredProjectTask {
        try readOne { try requireProjectTask($0, id: id) }
    }

    // MARK: Helpers

    /// The validated columns of a task.
    private struct TaskColumns {
        var name = ""
        var assigneeID: Int64?
        var dueOn: String?

        /// The columns of a stored task.
        init(_ task: StoredProjectTask? = nil) {
            if let task { (name, assigneeID, dueOn) = (task.name, task.assignee?.id, task.dueOn) }
        }

        /// The bound values of `name`, `assignee_id`, `due_on`.
        var values: [SQLValue] { [.text(name), SQLValue(assigneeID), SQLValue(dueOn)] }
    }

    private static func taskColumns(_ changes: ProjectTaskChanges, onto current: StoredProjectTask?) -> (TaskColumns, [FieldViolation]) {
        var violations: [FieldViolation] = []
        var columns = TaskColumns(current)
        if let name = changes.name {
            let (trimmed, violation) = TextInput.required(name, field: "name", maxLength: maxProjectTaskName)
            columns.name = trimmed
            if let violation { violations.append(violation) }
        }
        if let assignee = changes.assigneeID { columns.assigneeID = assignee }
        CustomerValidator.normalise(changes.dueOn, field: "dueOn", CalendarText.day, &columns.dueOn, &violations)
        return (columns, violations)
    }

    /// Runs an UPDATE whose last three parameters are updated at, updated by and the id, then
    /// appends the task's history entry with the fields that changed.
    private func rewriteTask(_ connection: SQLiteConnection, _ current: StoredProjectTask, at now: Int64, sql: String,
                             values: [SQLValue], action: HistoryAction, by author: Author) throws -> StoredProjectTask {
        try connection.run(sql, values + [.integer(now), .integer(author.userID), .integer(current.id)])
        let updated = try requireProjectTask(connection, id: current.id)
        let customerID = try requireProject(connection, id: current.projectID).customerID
        try HistoryLog.append(connection, .projectTask, id: current.id, customerID: customerID, action, at: now,
                              by: author, changes: HistoryLog.changes(from: current.historyValues,
                                                                      to: updated.historyValues))
        return updated
    }

    func requireProjectTask(_ connection: SQLiteConnection, id: Int64) throws -> StoredProjectTask {
        guard let task = try ProjectTaskRow.fetchTask(connection, id: id) else {
            throw StoreError.notFound("project task \(id) does not exist")
        }
        return task
    }
}

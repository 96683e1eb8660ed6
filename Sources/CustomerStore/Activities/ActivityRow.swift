import Foundation
import SQLiteEngine

/// The SELECTs that read a customer's activities with its project tasks, and their decoding
/// (user names through ``UserNames``: four joins a row were ~20 of a card's ~35).
@usableFromInline enum ActivityRow {
    /// The customer's notes, tasks and events, then its projects' tasks, those of the rows each
    /// condition keeps (no second arm when `tasks` is empty). Whether an item is done is decided
    /// in `decode` (see `isDone`), so now is not a parameter.
    ///
    /// A compound SELECT of its own rather than the view `customer_activity_items` it replaces
    /// (dropped by migration 18): SQLite read the view as a co-routine, each row copied out of it
    /// and its contact joined after, which cost 44 400 instructions of `sqlite3_step` for the
    /// bench's 5 activities, this 29 800 (callgrind, docs/performance/HISTORY.md). A project task names no
    /// contact, so only the first arm joins `contacts`; the columns are named by the first arm.
    private static func select(activities: String, tasks: String) -> String {
        """
        SELECT a.id, a.customer_id, a.kind, a.subject, a.due_at, a.starts_at, a.ends_at,
               a.assignee_id, a.contact_id, k.first_name, k.last_name, k.deleted,
               a.completed_at, a.completed_by, a.project_id, p.name AS project_name,
               a.version, a.created_at, a.created_by, a.updated_at, a.updated_by, a.time_zone
        FROM activities a LEFT JOIN projects p ON p.id = a.project_id LEFT JOIN contacts k ON k.id = a.contact_id
        WHERE \(activities)
        """ + (tasks.isEmpty ? "" : """

        UNION ALL
        SELECT t.id, p.customer_id, 'projectTask', t.name, CAST(strftime('%s', t.due_on) AS INTEGER) * 1000, NULL, NULL,
               t.assignee_id, NULL, NULL, NULL, NULL, t.completed_at, t.completed_by, p.id, p.name,
               t.version, t.created_at, t.created_by, t.updated_at, t.updated_by, NULL
        FROM project_tasks t JOIN projects p ON p.id = t.project_id
        WHERE \(tasks)
        """)
    }
    /// A customer's own note, task or event (a project task's id is another table's).
    private static let byID = select(activities: "a.id = ?1", tasks: "")
    /// ONE query for the whole list, in no order: `list` sorts it (see `isListedBefore`).
    private static let byCustomer = select(activities: "a.customer_id = ?1", tasks: "p.customer_id = ?1")
    /// `byCustomer` for a customer that has no project, so no project task: its second arm probed
    /// `projects_by_customer` for nothing (~3 600 instructions of `sqlite3_step` a card, the SQLite
    /// shell under callgrind).
    private static let byCustomerWithoutTasks = select(activities: "a.customer_id = ?1", tasks: "")
    /// The list of one project's entries: its tasks and the activities linked to it.
    private static let byProject = select(activities: "a.customer_id = ?1 AND a.project_id = ?2",
                                          tasks: "p.customer_id = ?1 AND p.id = ?2")

    /// The columns `decode` reads, found by name once per prepared statement.
    @usableFromInline struct Columns: ColumnLayout {
        @usableFromInline let id, customerID, kind, subject, dueAt, startsAt, endsAt, assigneeID, contactID, firstName,
            lastName, contactDeleted, completedAt, completedBy, projectID, projectName, version,
            createdAt, createdBy, updatedAt, updatedBy, timeZone: Column

        @usableFromInline init(resolving statement: SQLiteStatement) throws {
            func column(_ name: String) throws -> Column { try statement.column(name) }
            (id, customerID, kind, subject) = (try column("id"), try column("customer_id"), try column("kind"),
                                               try column("subject"))
            (dueAt, startsAt, endsAt) = (try column("due_at"), try column("starts_at"), try column("ends_at"))
            (assigneeID, contactID) = (try column("assignee_id"), try column("contact_id"))
            (firstName, lastName, contactDeleted) = (try column("first_name"), try column("last_name"), try column("deleted"))
            (completedAt, completedBy) = (try column("completed_at"), try column("completed_by"))
            (projectID, projectName, version) = (try column("project_id"), try column("project_name"), try column("version"))
            (createdAt, createdBy) = (try column("created_at"), try column("created_by"))
            (updatedAt, updatedBy) = (try column("updated_at"), try column("updated_by"))
            timeZone = try column("time_zone")
        }
    }

    /// The row's activity as of `now` (milliseconds), which decides whether an event has ended.
    private static func decode(_ statement: SQLiteStatement, _ c: Columns, now: Int64,
                               users: UserNames) throws -> StoredActivity {
        func date(_ column: Column) throws -> Date? { try statement.optionalInt64(column).map(Date.init(milliseconds:)) }
        let kind = ActivityKind(storedText: try statement.textBytes(c.kind))
        let completedAt = try statement.optionalInt64(c.completedAt), endsAt = try statement.optionalInt64(c.endsAt)
        let contact = try contact(statement, c)
        return StoredActivity(
            id: try statement.int64(c.id), customerID: try statement.int64(c.customerID),
            kind: kind, subject: try statement.text(c.subject),
            dueAt: try date(c.dueAt), startsAt: try date(c.startsAt), endsAt: endsAt.map(Date.init(milliseconds:)),
            assignee: try users.optionalRef(statement, c.assigneeID), contact: contact,
            done: isDone(kind, completedAt: completedAt, endsAt: endsAt, now: now),
            completedAt: completedAt.map(Date.init(milliseconds:)),
            completedBy: try users.optionalRef(statement, c.completedBy),
            projectID: try statement.optionalInt64(c.projectID), projectName: try statement.optionalText(c.projectName),
            version: try statement.int64(c.version), createdAt: Date(milliseconds: try statement.int64(c.createdAt)),
            createdBy: try users.ref(statement, c.createdBy),
            updatedAt: Date(milliseconds: try statement.int64(c.updatedAt)),
            updatedBy: try users.ref(statement, c.updatedBy),
            timeZone: try statement.optionalText(c.timeZone))
    }

    /// The contact the row's activity names, if any.
    @usableFromInline static func contact(_ statement: SQLiteStatement, _ c: Columns) throws -> StoredContactRef? {
        try statement.optionalInt64(c.contactID).map { id in
            let firstName = try statement.optionalText(c.firstName), lastName = try statement.optionalText(c.lastName)
            // A contact row is never removed while an activity names it (foreign key), so a missing
            // one cannot occur; it would read as deleted.
            let deleted = try statement.optionalInt64(c.contactDeleted).map { $0 != 0 } ?? true
            return StoredContactRef(id: id, name: deleted ? nil : StoredContactRef.displayName(firstName, lastName), deleted: deleted)
        }
    }

    /// Whether an item is done as of `now`: a task or a project task once completed, an event once
    /// its end is not after `now`, a note always (an event without an end, which the schema does
    /// not allow, counts as done). Decided here rather than by a CASE in the SELECT: comparing
    /// `kind` with 'task' and 'event' in SQLite cost ~3 800 instructions of `sqlite3_step` for the
    /// bench's five notes (the SQLite shell under callgrind, docs/performance/HISTORY.md "card12").
    static func isDone(_ kind: ActivityKind, completedAt: Int64?, endsAt: Int64?, now: Int64) -> Bool {
        switch kind {
        case .task, .projectTask: return completedAt != nil
        case .event: return !(endsAt.map { $0 > now } ?? false)
        case .note: return true
        }
    }

    /// The list's order (see `ActivityOrderKey.isListed(before:)`). Sorted here rather than by an
    /// ORDER BY on those computed keys: SQLite's sorter took half of the list query's ~144 000
    /// instructions for a customer with 5 activities (callgrind), sorting a handful of rows here a
    /// small fraction.
    static func isListedBefore(_ a: StoredActivity, _ b: StoredActivity) -> Bool {
        ActivityOrderKey(a).isListed(before: ActivityOrderKey(b))
    }

    /// One of the customer's own activities, or nil.
    static func fetch(_ connection: SQLiteConnection, id: Int64, now: Int64) throws -> StoredActivity? {
        let users = UserNames(connection)
        return try connection.withStatement(byID) { statement in
            try statement.bind(id, at: 1)
            return try statement.nextRow(Columns.self).map { try decode(statement, $0, now: now, users: users) }
        }
    }

    /// The customer's activities split into planned and done, as of `now`; only those of
    /// `projectID` when it is given.
    /// - Parameter withProjectTasks: false when the read knows the customer has no project (see
    ///   `CardCustomer`), so there is no project task to look for.
    /// - Parameter users: the read's user names, when it reads more rows than these.
    static func list(_ connection: SQLiteConnection, customerID: Int64, projectID: Int64? = nil,
                     now: Int64, withProjectTasks: Bool = true, users: UserNames? = nil) throws -> StoredActivityList {
        let users = UserNames.of(connection, sharing: users)
        let sql = projectID != nil ? byProject : withProjectTasks ? byCustomer : byCustomerWithoutTasks
        return try connection.withStatement(sql) { statement in
            try statement.bind(customerID, at: 1)
            if let projectID { try statement.bind(projectID, at: 2) }
            var list = StoredActivityList(planned: [], done: [])
            try statement.forEachRow(Columns.self) { columns in
                let activity = try decode(statement, columns, now: now, users: users)
                if activity.done { list.done.append(activity) } else { list.planned.append(activity) }
            }
            list.planned.sort(by: isListedBefore)
            // Stepped by id, oldest first, and listed newest first: reversed, the rows are mostly in
            // order already, which the sort of a few rows checks without moving them (the bench's
            // five done records: the sort's copies ~4 800 instructions a card, ~1 900 with these).
            list.done.reverse()
            list.done.sort(by: isListedBefore)
            return list
        }
    }

    /// The list as `list` reads it, each row lent to `body` as it is stepped (in no order)
    /// instead of decoded into a record; returns the positions of the lent rows (0 for the first
    /// lent) in the list's order, the planned then the done. A caller that writes the rows out
    /// (the server's card) keeps what it wrote of each and puts it in this order: sorting the
    /// rows' keys moves no record (docs/performance/HISTORY.md "card14").
    static func list(_ connection: SQLiteConnection, customerID: Int64, now: Int64, withProjectTasks: Bool,
                     users: UserNames, lending body: (ActivityListingRow) throws -> Void) throws -> [Int] {
        try connection.withStatement(withProjectTasks ? byCustomer : byCustomerWithoutTasks) { statement in
            try statement.bind(customerID, at: 1)
            // Room for a customer's usual few at once: grown from empty, five keys were four
            // allocations and copies (~1 600 instructions a card, docs/performance/HISTORY.md "card22").
            var keys: [(key: ActivityOrderKey, position: Int)] = []
            keys.reserveCapacity(16)
            try statement.forEachRow(Columns.self) { c in
                let kind = ActivityKind(storedText: try statement.textBytes(c.kind))
                let completedAt = try statement.optionalInt64(c.completedAt), endsAt = try statement.optionalInt64(c.endsAt)
                let done = isDone(kind, completedAt: completedAt, endsAt: endsAt, now: now)
                let date = done ? try completedAt ?? endsAt ?? statement.int64(c.createdAt)
                    : try statement.optionalInt64(c.dueAt) ?? statement.optionalInt64(c.startsAt)
                keys.append((ActivityOrderKey(done: done, date: date.map(Date.init(milliseconds:)),
                                              id: try statement.int64(c.id), kind: kind), keys.count))
                try body(ActivityListingRow(statement: statement, columns: c, users: users, done: done, kind: kind))
            }
            // Stepped by id, oldest first, and the done listed newest first: reversed, the keys
            // are mostly in order already (see `list`).
            keys.reverse()
            keys.sort { $0.key.isListed(before: $1.key) }
            return keys.map(\.position)
        }
    }
}

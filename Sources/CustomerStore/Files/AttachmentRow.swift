import Foundation
import SQLiteEngine

/// The SELECTs of files and links with their project's name, and their decoding (user names
/// through ``UserNames``).
enum AttachmentRow {
    /// `SELECT <columns>, <stamps> FROM <table> t ...`, with the given condition and order.
    private static func select(_ table: String, columns: String, where condition: String) -> String {
        """
        SELECT \(columns), t.created_at, t.created_by, t.updated_at, t.updated_by, p.name AS project_name
        FROM \(table) t LEFT JOIN projects p ON p.id = t.project_id
        WHERE \(condition)
        ORDER BY t.project_id IS NOT NULL, t.project_id, t.id
        """
    }

    private static let fileColumns = "t.id, t.customer_id, t.project_id, t.name, t.size, t.sha256, t.content_type"
    private static let linkColumns = "t.id, t.customer_id, t.project_id, t.url, t.title"

    /// Reads files: one by id (`byCustomer` false) or all of a customer, customer files first, then by project.
    /// - Parameter users: the read's user names, when it reads more rows than these.
    static func files(_ connection: SQLiteConnection, key: Int64, byCustomer: Bool,
                      users: UserNames? = nil) throws -> [StoredFile] {
        let sql = select("files", columns: fileColumns, where: byCustomer ? "t.customer_id = ?" : "t.id = ?")
        let users = UserNames.of(connection, sharing: users)
        return try fetch(connection, sql, key: key) { statement in
            let stamps = try decodeStamps(statement, users: users)
            return StoredFile(id: try statement.int64("id"), customerID: try statement.int64("customer_id"),
                              projectID: try statement.optionalInt64("project_id"), projectName: stamps.projectName,
                              name: try statement.text("name"), size: try statement.int64("size"),
                              sha256: try statement.text("sha256"), contentType: try statement.optionalText("content_type"),
                              createdAt: stamps.createdAt, createdBy: stamps.createdBy, updatedAt: stamps.updatedAt,
                              updatedBy: stamps.updatedBy)
        }
    }

    /// Reads links: one by id (`byCustomer` false) or all of a customer, customer links first, then by project.
    /// - Parameter users: the read's user names, when it reads more rows than these.
    static func links(_ connection: SQLiteConnection, key: Int64, byCustomer: Bool,
                      users: UserNames? = nil) throws -> [StoredLink] {
        let sql = select("links", columns: linkColumns, where: byCustomer ? "t.customer_id = ?" : "t.id = ?")
        let users = UserNames.of(connection, sharing: users)
        return try fetch(connection, sql, key: key) { statement in
            let stamps = try decodeStamps(statement, users: users)
            return StoredLink(id: try statement.int64("id"), customerID: try statement.int64("customer_id"),
                              projectID: try statement.optionalInt64("project_id"), projectName: stamps.projectName,
                              url: try statement.text("url"), title: try statement.optionalText("title"),
                              createdAt: stamps.createdAt, createdBy: stamps.createdBy, updatedAt: stamps.updatedAt,
                              updatedBy: stamps.updatedBy)
        }
    }

    private struct Stamps {
        var createdAt: Date
        var createdBy: StoredUserRef
        var updatedAt: Date
        var updatedBy: StoredUserRef
        var projectName: String?
    }

    private static func decodeStamps(_ statement: SQLiteStatement, users: UserNames) throws -> Stamps {
        Stamps(createdAt: .init(milliseconds: try statement.int64("created_at")),
               createdBy: try users.ref(statement, "created_by"),
               updatedAt: .init(milliseconds: try statement.int64("updated_at")),
               updatedBy: try users.ref(statement, "updated_by"),
               projectName: try statement.optionalText("project_name"))
    }

    private static func fetch<Row>(_ connection: SQLiteConnection, _ sql: String, key: Int64,
                                   _ decode: (SQLiteStatement) throws -> Row) throws -> [Row] {
        try connection.withStatement(sql) { statement in
            try statement.bind(key, at: 1)
            var rows: [Row] = []
            while try statement.step() { rows.append(try decode(statement)) }
            return rows
        }
    }
}

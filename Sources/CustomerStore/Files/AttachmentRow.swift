import Foundation
import SQLiteEngine

/// The SELECTs of files and links with their users' and project's names, and their decoding.
enum AttachmentRow {
    /// `SELECT <columns>, <stamps> FROM <table> t ...`, with the given condition and order.
    private static func select(_ table: String, columns: String, where condition: String) -> String {
        """
        SELECT \(columns), t.created_at, t.created_by, cb.name AS created_by_name, t.updated_at, t.updated_by,
               ub.name AS updated_by_name, p.name AS project_name
        FROM \(table) t JOIN users cb ON cb.id = t.created_by JOIN users ub ON ub.id = t.updated_by \
        LEFT JOIN projects p ON p.id = t.project_id
        WHERE \(condition)
        ORDER BY t.project_id IS NOT NULL, t.project_id, t.id
        """
    }

    private static let fileColumns = "t.id, t.customer_id, t.project_id, t.name, t.size, t.sha256, t.content_type"
    private static let linkColumns = "t.id, t.customer_id, t.project_id, t.url, t.title"

    /// Reads files: one by id (`byCustomer` false) or all of a customer, customer files first, then by project.
    static func files(_ connection: SQLiteConnection, key: Int64, byCustomer: Bool) throws -> [StoredFile] {
        let sql = select("files", columns: fileColumns, where: byCustomer ? "t.customer_id = ?" : "t.id = ?")
        return try fetch(connection, sql, key: key) { statement in
            let stamps = try decodeStamps(statement)
            return StoredFile(id: try statement.int64("id"), customerID: try statement.int64("customer_id"),
                              projectID: try statement.optionalInt64("project_id"), projectName: stamps.projectName,
                              name: try statement.text("name"), size: try statement.int64("size"),
                              sha256: try statement.text("sha256"), contentType: try statement.optionalText("content_type"),
                              createdAt: stamps.createdAt, createdBy: stamps.createdBy, updatedAt: stamps.updatedAt,
                              updatedBy: stamps.updatedBy)
        }
    }

    /// Reads links: one by id (`byCustomer` false) or all of a customer, customer links first, then by project.
    static func links(_ connection: SQLiteConnection, key: Int64, byCustomer: Bool) throws -> [StoredLink] {
        let sql = select("links", columns: linkColumns, where: byCustomer ? "t.customer_id = ?" : "t.id = ?")
        return try fetch(connection, sql, key: key) { statement in
            let stamps = try decodeStamps(statement)
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

    private static func decodeStamps(_ statement: SQLiteStatement) throws -> Stamps {
        Stamps(createdAt: .init(milliseconds: try statement.int64("created_at")),
               createdBy: StoredUserRef(id: try statement.int64("created_by"), name: try statement.text("created_by_name")),
               updatedAt: .init(milliseconds: try statement.int64("updated_at")),
               updatedBy: StoredUserRef(id: try statement.int64("updated_by"), name: try statement.text("updated_by_name")),
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

import Foundation
import SQLiteEngine

/// The SELECTs of files and links with their users' and project's names, and their decoding.
enum AttachmentRow {
    /// `SELECT <columns>, cb.name, ub.name, p.name FROM <table> t ...`, with the given condition and order.
    private static func select(_ table: String, columns: String, where condition: String) -> String {
        """
        SELECT \(columns), t.created_at, t.created_by, cb.name, t.updated_at, t.updated_by, ub.name, p.name
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
            let stamps = decodeStamps(statement, at: 7)
            return StoredFile(id: statement.int64(0), customerID: statement.int64(1), projectID: statement.optionalInt64(2),
                              projectName: stamps.projectName, name: statement.text(3), size: statement.int64(4),
                              sha256: statement.text(5), contentType: statement.optionalText(6),
                              createdAt: stamps.createdAt, createdBy: stamps.createdBy, updatedAt: stamps.updatedAt,
                              updatedBy: stamps.updatedBy)
        }
    }

    /// Reads links: one by id (`byCustomer` false) or all of a customer, customer links first, then by project.
    static func links(_ connection: SQLiteConnection, key: Int64, byCustomer: Bool) throws -> [StoredLink] {
        let sql = select("links", columns: linkColumns, where: byCustomer ? "t.customer_id = ?" : "t.id = ?")
        return try fetch(connection, sql, key: key) { statement in
            let stamps = decodeStamps(statement, at: 5)
            return StoredLink(id: statement.int64(0), customerID: statement.int64(1), projectID: statement.optionalInt64(2),
                              projectName: stamps.projectName, url: statement.text(3), title: statement.optionalText(4),
                              createdAt: stamps.createdAt, createdBy: stamps.createdBy, updatedAt: stamps.updatedAt,
                              updatedBy: stamps.updatedBy)
        }
    }

    private struct Stamps {
        var createdAt: Date
        var createdBy: UserRef
        var updatedAt: Date
        var updatedBy: UserRef
        var projectName: String?
    }

    private static func decodeStamps(_ statement: SQLiteStatement, at offset: Int32) -> Stamps {
        Stamps(createdAt: .init(milliseconds: statement.int64(offset)),
               createdBy: UserRef(id: statement.int64(offset + 1), name: statement.text(offset + 2)),
               updatedAt: .init(milliseconds: statement.int64(offset + 3)),
               updatedBy: UserRef(id: statement.int64(offset + 4), name: statement.text(offset + 5)),
               projectName: statement.optionalText(offset + 6))
    }

    private static func fetch<Row>(_ connection: SQLiteConnection, _ sql: String, key: Int64,
                                   _ decode: (SQLiteStatement) -> Row) throws -> [Row] {
        try connection.withStatement(sql) { statement in
            try statement.bind(key, at: 1)
            var rows: [Row] = []
            while try statement.step() { rows.append(decode(statement)) }
            return rows
        }
    }
}

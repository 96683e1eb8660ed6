import Foundation
import SQLiteEngine

/// Links (web addresses) of customers and their projects.
extension CustomerStore {
    static let maxLinkTitle = 200

    /// Adds a link to a customer or one of its projects.
    /// - Parameters:
    ///   - url: http or https (a bare host gets `https://`), at most 2048 characters.
    ///   - title: optional, at most 200 characters.
    /// - Throws: `invalidArgument` listing every invalid field; `notFound` (customer); `brokenRule` (user).
    public func addLink(customerID: Int64, projectID: Int64?, url: String, title: String?,
                        by author: Author) throws -> StoredLink {
        var violations: [FieldViolation] = []
        var validURL: String?
        CustomerValidator.normalise(url, field: "url", early: CustomerValidator.websiteLimit("url"), { CustomerValidator.website($0).on("url") }, &validURL,
                                    &violations)
        if validURL == nil, violations.isEmpty {
            violations.append(FieldViolation(field: "url", reason: "is required (an http or https address)"))
        }
        let validTitle = Self.validLinkTitle(title, into: &violations)
        guard let validURL, violations.isEmpty else { throw StoreError.invalidArgument(violations) }
        return try write { connection in
            try Self.checkAttachmentTarget(connection, customerID: customerID, projectID: projectID, by: author)
            let now = nowMilliseconds()
            try connection.run("""
                INSERT INTO links (customer_id, project_id, url, title, created_at, created_by, updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(customerID), SQLValue(projectID), .text(validURL), SQLValue(validTitle), .integer(now),
                      .integer(author.userID), .integer(now), .integer(author.userID)])
            let id = connection.lastInsertRowID
            try Self.recordAttachmentChange(connection, customerID: customerID, field: "links.\(id)", from: nil,
                                            to: validURL, at: now, by: author)
            return try Self.requireLink(connection, id: id)
        }
    }

    /// The links of a customer and of its projects: the customer's own first, then by project, each by id.
    /// - Throws: `notFound` (customer).
    public func links(customerID: Int64) throws -> [StoredLink] {
        try read { connection in
            try Self.requireWritableCustomer(connection, customerID: customerID)
            return try AttachmentRow.links(connection, key: customerID, byCustomer: true)
        }
    }

    /// Sets a link's title ("" clears it). - Throws: `notFound`, `invalidArgument` on `title`, `brokenRule` (user).
    public func renameLink(id: Int64, title: String, by author: Author) throws -> StoredLink {
        var violations: [FieldViolation] = []
        let validTitle = Self.validLinkTitle(title, into: &violations)
        if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
        return try write { connection in
            let current = try Self.requireLink(connection, id: id)
            try Self.requireWritableCustomer(connection, customerID: current.customerID, field: "id")
            try Self.requireActingUser(connection, author)
            if HistoryLog.isUnchanged(from: [SQLValue(current.title)], to: [SQLValue(validTitle)]) { return current }
            let now = nextUpdatedAt(after: current.updatedAt)
            try connection.run("UPDATE links SET title = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                               [SQLValue(validTitle), .integer(now), .integer(author.userID), .integer(id)])
            try Self.recordAttachmentChange(connection, customerID: current.customerID, field: "links.\(id).title",
                                            from: current.title, to: validTitle, at: now, by: author)
            return try Self.requireLink(connection, id: id)
        }
    }

    /// Removes a link. - Returns: the removed link. - Throws: `notFound`, `brokenRule` (user).
    @discardableResult
    public func removeLink(id: Int64, by author: Author) throws -> StoredLink {
        try write { connection in
            let link = try Self.requireLink(connection, id: id)
            try Self.requireWritableCustomer(connection, customerID: link.customerID, field: "id")
            try Self.requireActingUser(connection, author)
            try connection.run("DELETE FROM links WHERE id = ?", [.integer(id)])
            try Self.recordAttachmentChange(connection, customerID: link.customerID, field: "links.\(id)",
                                            from: link.url, to: nil, at: nowMilliseconds(), by: author)
            return link
        }
    }

    // MARK: Helpers

    private static func requireLink(_ connection: SQLiteConnection, id: Int64) throws -> StoredLink {
        guard let link = try AttachmentRow.links(connection, key: id, byCustomer: false).first else {
            throw StoreError.notFound("link \(id) does not exist")
        }
        return link
    }

    /// A trimmed title of at most 200 characters; nil when not given or blank.
    private static func validLinkTitle(_ raw: String?, into violations: inout [FieldViolation]) -> String? {
        var title: String?
        CustomerValidator.normalise(raw, field: "title", maxLength: maxLinkTitle, &title, &violations)
        return title
    }
}

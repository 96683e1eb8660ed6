import Foundation
import SQLiteEngine
import ServiceLog

/// The managed list of industries. A customer's `industry` is the name of one of its entries:
/// creating or updating a customer accepts only a listed name (or "" to clear it).
extension CustomerStore {
    /// Adds an industry to the list.
    /// - Throws: `invalidArgument` on `name` (blank or over 100 characters); `alreadyExists` on `name`
    ///   (compared by `UniqueName.fold`), naming the industry that has it.
    public func createIndustry(name: String) throws -> StoredIndustry {
        let name = try Self.validName(name, maxLength: CustomerValidator.maxIndustry, field: "name")
        return try write { connection in
            try UniqueName.industries.requireFree(connection, name: name)
            try connection.run("INSERT INTO industries (name, name_fold) VALUES (?, ?)",
                               [.text(name), .text(UniqueName.fold(name))])
            return StoredIndustry(id: connection.lastInsertRowID, name: name, customerCount: 0)
        }
    }

    /// Renames an industry; its customers read the new name (their versions do not change, as with
    /// keywords and roles: the list is shared, not part of each record).
    /// - Throws: `notFound`; `invalidArgument` on `newName`; `alreadyExists` on `name`.
    public func renameIndustry(name: String, to newName: String) throws -> StoredIndustry {
        let validName = try Self.validName(newName, maxLength: CustomerValidator.maxIndustry, field: "newName")
        return try write { connection in
            let industry = try Self.requireIndustry(connection, name: name)
            try UniqueName.industries.requireFree(connection, name: validName, except: industry.id)
            try connection.run("UPDATE industries SET name = ?, name_fold = ? WHERE id = ?",
                               [.text(validName), .text(UniqueName.fold(validName)), .integer(industry.id)])
            return try Self.requireIndustry(connection, name: validName)
        }
    }

    /// Deletes an industry. One still set on customers is only deleted with `force`, which clears
    /// it on them.
    ///
    /// - Returns: the number of customers it was cleared on.
    /// - Throws: `notFound`; `failedPrecondition` when in use and not forced.
    @discardableResult
    public func deleteIndustry(name: String, force: Bool) throws -> Int64 {
        try write { connection in
            let industry = try Self.requireIndustry(connection, name: name)
            if industry.customerCount > 0, !force {
                let customers = industry.customerCount == 1 ? "1 customer is" : "\(industry.customerCount) customers are"
                throw StoreError.failedPrecondition("\(customers) in the industry '\(industry.name)': "
                    + "delete it with force=true to clear it on them", field: "force")
            }
            try connection.run("UPDATE customers SET industry_id = NULL WHERE industry_id = ?", [.integer(industry.id)])
            try connection.run("DELETE FROM industries WHERE id = ?", [.integer(industry.id)])
            return industry.customerCount
        }
    }

    /// Every industry with its customer count, by name.
    public func industries() throws -> [StoredIndustry] {
        try readOne { connection in
            try connection.withStatement(Self.industrySelect + " ORDER BY i.name, i.id") { statement in
                var industries: [StoredIndustry] = []
                while try statement.step() { industries.append(Self.decodeIndustry(statement)) }
                return industries
            }
        }
    }

    // MARK: Helpers

    private static let industrySelect = """
        SELECT i.id, i.name, (SELECT count(*) FROM customers c WHERE c.industry_id = i.id) FROM industries i
        """

    private static func decodeIndustry(_ statement: SQLiteStatement) -> StoredIndustry {
        StoredIndustry(id: statement.int64(0), name: statement.text(1), customerCount: statement.int64(2))
    }

    /// The industry with this name (trimmed, compared by `UniqueName.fold`), or nil.
    static func industry(_ connection: SQLiteConnection, name: String) throws -> StoredIndustry? {
        try connection.withStatement(industrySelect + " WHERE i.name_fold = ?") { statement in
            try statement.bind(UniqueName.lookupKey(name), at: 1)
            return try statement.step() ? decodeIndustry(statement) : nil
        }
    }

    /// The id and stored spelling of the industry named `name` (compared by `UniqueName.fold`), or `nil`:
    /// what a customer's write checks, and then binds as its `industry_id`. One probe of the unique
    /// index; `industry(_:name:)` would also count the industry's customers, a scan as long as the
    /// industry is large, on every create.
    static func checkedIndustry(_ connection: SQLiteConnection, name: String) throws -> CheckedIndustry? {
        try connection.withStatement("SELECT id, name FROM industries WHERE name_fold = ?") { statement in
            try statement.bind(UniqueName.lookupKey(name), at: 1)
            return try statement.step() ? CheckedIndustry(id: statement.int64(0), name: statement.text(1)) : nil
        }
    }

    /// An industry a customer's write names, as `checkedIndustry` read it.
    struct CheckedIndustry {
        var id: Int64
        var name: String
    }

    private static func requireIndustry(_ connection: SQLiteConnection, name: String) throws -> StoredIndustry {
        try TextInput.refuseControlCharacters(inName: name, field: "name")
        guard let industry = try industry(connection, name: name) else {
            throw StoreError.notFound("no industry is named \(TerminalText.quoted(TextInput.canonical(name)))", field: "name")
        }
        return industry
    }

    /// The violation of a customer naming an industry that is not in the list.
    static func unknownIndustry(_ name: String) -> FieldViolation {
        FieldViolation(field: "industry", reason: "unknown industry '\(name)': add it with customerctl industries add")
    }
}

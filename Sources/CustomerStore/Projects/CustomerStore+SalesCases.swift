import Foundation
import SQLiteEngine

extension CustomerStore {
    /// Wins an open sales case: the SAME row becomes a project (same id, history, tasks and notes),
    /// its outcome `won`, numbered from the sequence unless `projectFields.number` is given, open
    /// unless `projectFields.status` says otherwise, in the expected currency unless
    /// `projectFields.currency` is given. Its sales fields are kept as they were.
    ///
    /// - Parameter projectFields: project fields (and the name) to set in the same write; sales
    ///   case fields are refused.
    /// - Throws: `notFound`; `failedPrecondition` when it is not an open sales case;
    ///   `invalidArgument`; `alreadyExists` on `number`.
    public func winSalesCase(id: Int64, projectFields: ProjectChanges = .init(), by author: Author) throws -> StoredProject {
        try write { connection in
            let current = try openSalesCase(connection, id: id)
            var changes = projectFields
            if changes.currency == nil { changes.currency = current.expectedCurrency }
            var (columns, violations) = ProjectValidator.apply(changes, kind: .project, onto: ProjectColumns(current))
            try Self.checkReferences(connection, user: projectFields.managerID != nil ? columns.managerID : nil,
                                     field: "manager", violations: violations, by: author)
            if columns.number == nil { columns.number = try NumberSequence.projects.next(connection) }
            return try rewrite(connection, current, kind: .project, outcome: .won, lostReason: nil, columns: columns,
                               action: .won, by: author)
        }
    }

    /// Loses an open sales case, with the reason why (required).
    /// - Throws: `notFound`; `failedPrecondition` when it is not an open sales case;
    ///   `invalidArgument` on `reason` (blank or over 1000 characters).
    public func loseSalesCase(id: Int64, reason: String, by author: Author) throws -> StoredProject {
        let (reason, violations) = ProjectValidator.lostReason(reason)
        return try write { connection in
            let current = try openSalesCase(connection, id: id)
            if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
            try Self.requireActingUser(connection, author)
            return try rewrite(connection, current, kind: .salesCase, outcome: .lost, lostReason: reason,
                               columns: ProjectColumns(current), action: .lost, by: author)
        }
    }

    /// The stored record, which must be a sales case that is still open.
    private func openSalesCase(_ connection: SQLiteConnection, id: Int64) throws -> StoredProject {
        let current = try requireWritableProject(connection, id: id)
        guard current.kind == .salesCase, current.outcome == .open else {
            let state = current.kind == .project ? "a project" : "a \(current.outcome?.rawValue ?? "closed") sales case"
            throw StoreError.failedPrecondition("project \(id) is not an open sales case (it is \(state))", field: "id")
        }
        return current
    }
}

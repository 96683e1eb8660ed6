import Foundation

extension CustomerStore {
    static let maxCollaborationNote = 4_000

    /// Adds a note (by the caller, now) to the collaboration tab of a sales case or project.
    /// - Throws: `notFound` (project); `invalidArgument` on `text` (blank or over 4000 characters);
    ///   `brokenRule` for an unknown acting user.
    public func addCollaborationNote(projectID: Int64, text: String, by author: Author) throws -> StoredCollaborationNote {
        let (text, violation) = TextInput.required(text, field: "text", maxLength: Self.maxCollaborationNote,
                                                   lines: .multiple)
        return try write { connection in
            let project = try requireWritableProject(connection, id: projectID, field: "projectId")
            if let violation { throw StoreError.invalidArgument([violation]) }
            try Self.requireActingUser(connection, author)
            let now = nowMilliseconds()
            try connection.run("INSERT INTO collaboration_notes (project_id, author_id, text, created_at) VALUES (?, ?, ?, ?)",
                               [.integer(projectID), .integer(author.userID), .text(text), .integer(now)])
            let id = connection.lastInsertRowID
            try HistoryLog.append(connection, .collaborationNote, id: id, customerID: project.customerID, .created,
                                  at: now, by: author)
            guard let note = try ProjectTaskRow.fetchNote(connection, id: id) else {
                throw StoreError.notFound("collaboration note \(id) does not exist")
            }
            return note
        }
    }

    /// The card's collaboration tab: every task and note of every sales case and project of the
    /// customer, newest first (by creation time), each with its project's id and name. One query.
    /// - Throws: `notFound` (customer).
    public func collaboration(customerID: Int64) throws -> [StoredCollaborationItem] {
        try read { connection in
            try Self.requireWritableCustomer(connection, customerID: customerID)
            return try ProjectTaskRow.collaboration(connection, customerID: customerID)
        }
    }
}

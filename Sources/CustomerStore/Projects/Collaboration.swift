import Foundation

/// A note on the collaboration tab of a sales case or project. Notes are written once (no edits).
public struct StoredCollaborationNote: Sendable, Hashable {
    public var id: Int64
    public var projectID: Int64
    public var projectName: String
    public var author: StoredUserRef
    public var text: String
    public var createdAt: Date

    public init(id: Int64, projectID: Int64, projectName: String, author: StoredUserRef, text: String, createdAt: Date) {
        self.id = id
        self.projectID = projectID
        self.projectName = projectName
        self.author = author
        self.text = text
        self.createdAt = createdAt
    }
}

/// One entry of the card's collaboration tab: a project task or a collaboration note.
public enum StoredCollaborationItem: Sendable, Hashable {
    case task(StoredProjectTask)
    case note(StoredCollaborationNote)

    /// The sales case or project it belongs to.
    public var projectID: Int64 {
        switch self {
        case .task(let task): task.projectID
        case .note(let note): note.projectID
        }
    }

    public var projectName: String {
        switch self {
        case .task(let task): task.projectName
        case .note(let note): note.projectName
        }
    }

    /// What the tab orders by, newest first.
    public var createdAt: Date {
        switch self {
        case .task(let task): task.createdAt
        case .note(let note): note.createdAt
        }
    }
}

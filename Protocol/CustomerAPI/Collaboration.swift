import Foundation

/// A task on a project; it also shows in the customer's activity list.
public struct ProjectTask: Codable, Sendable, Hashable {
    public enum Status: Int, Codable, Sendable, CaseIterable { case planned = 0, done = 1 }

    public var id: Int64
    public var projectId: Int64
    public var projectName: String
    public var name: String
    public var assignee: UserRef?
    /// YYYY-MM-DD.
    public var dueOn: String?
    public var status: Status
    public var completedAt: Date?
    public var completedBy: UserRef?
    public var version: Int64
    public var createdAt: Date
    public var createdBy: UserRef
    public var updatedAt: Date
    public var updatedBy: UserRef

    public init(
        id: Int64, projectId: Int64, projectName: String, name: String, assignee: UserRef?, dueOn: String?,
        status: Status, completedAt: Date?, completedBy: UserRef?, version: Int64, createdAt: Date, createdBy: UserRef,
        updatedAt: Date, updatedBy: UserRef
    ) {
        self.id = id
        self.projectId = projectId
        self.projectName = projectName
        self.name = name
        self.assignee = assignee
        self.dueOn = dueOn
        self.status = status
        self.completedAt = completedAt
        self.completedBy = completedBy
        self.version = version
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    enum CodingKeys: Int, CodingKey {
        case id = 1, projectId = 2, projectName = 3, name = 4, assignee = 5, dueOn = 6, status = 7, completedAt = 8
        case completedBy = 9, version = 10, createdAt = 11, createdBy = 12, updatedAt = 13, updatedBy = 14
    }
}

public struct AddProjectTaskRequest: Codable, Sendable, Hashable {
    public var projectId: Int64
    public var name: String
    /// A user name.
    public var assignee: String?
    public var dueOn: String?

    public init(projectId: Int64, name: String, assignee: String? = nil, dueOn: String? = nil) {
        self.projectId = projectId
        self.name = name
        self.assignee = assignee
        self.dueOn = dueOn
    }

    enum CodingKeys: Int, CodingKey { case projectId = 1, name = 2, assignee = 3, dueOn = 4 }
}

public struct SetProjectTaskStatusRequest: Codable, Sendable, Hashable {
    public var id: Int64
    public var status: ProjectTask.Status

    public init(id: Int64, status: ProjectTask.Status) {
        self.id = id
        self.status = status
    }

    enum CodingKeys: Int, CodingKey { case id = 1, status = 2 }
}

public struct CollaborationNote: Codable, Sendable, Hashable {
    public var id: Int64
    public var projectId: Int64
    public var projectName: String
    public var author: UserRef
    public var text: String
    public var createdAt: Date

    public init(id: Int64, projectId: Int64, projectName: String, author: UserRef, text: String, createdAt: Date) {
        self.id = id
        self.projectId = projectId
        self.projectName = projectName
        self.author = author
        self.text = text
        self.createdAt = createdAt
    }

    enum CodingKeys: Int, CodingKey { case id = 1, projectId = 2, projectName = 3, author = 4, text = 5, createdAt = 6 }
}

public struct AddCollaborationNoteRequest: Codable, Sendable, Hashable {
    public var projectId: Int64
    public var text: String

    public init(projectId: Int64, text: String) {
        self.projectId = projectId
        self.text = text
    }

    enum CodingKeys: Int, CodingKey { case projectId = 1, text = 2 }
}

/// One entry of the collaboration tab: exactly one of `task` and `note`.
public struct CollaborationItem: Codable, Sendable, Hashable {
    public var task: ProjectTask?
    public var note: CollaborationNote?

    public init(task: ProjectTask) {
        self.task = task
        self.note = nil
    }

    public init(note: CollaborationNote) {
        self.task = nil
        self.note = note
    }

    enum CodingKeys: Int, CodingKey { case task = 1, note = 2 }
}

/// All project tasks and collaboration notes of all the customer's projects, newest first.
public struct CollaborationTab: Codable, Sendable, Hashable {
    public var items: [CollaborationItem]

    public init(items: [CollaborationItem]) { self.items = items }

    enum CodingKeys: Int, CodingKey { case items = 1 }
}

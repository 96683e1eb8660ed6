import Foundation

/// Whether a project task is still to do.
public enum ProjectTaskStatus: String, Sendable, Hashable, CaseIterable {
    case planned, done
}

/// A task of a sales case or project. It also shows in the customer's activity list as an
/// `Activity` of kind `.projectTask` with the same `id`.
public struct StoredProjectTask: Sendable, Hashable {
    public var id: Int64
    public var projectID: Int64
    public var projectName: String
    public var name: String
    public var assignee: StoredUserRef?
    /// 'YYYY-MM-DD'.
    public var dueOn: String?
    public var status: ProjectTaskStatus
    /// Set exactly when done.
    public var completedAt: Date?
    public var completedBy: StoredUserRef?
    /// Starts at 1; +1 on every write. Pass it back as `expectedVersion` to refuse lost updates.
    public var version: Int64
    public var createdAt: Date
    public var createdBy: StoredUserRef
    public var updatedAt: Date
    public var updatedBy: StoredUserRef

    public init(id: Int64, projectID: Int64, projectName: String, name: String, assignee: StoredUserRef? = nil,
                dueOn: String? = nil, status: ProjectTaskStatus, completedAt: Date? = nil, completedBy: StoredUserRef? = nil,
                version: Int64, createdAt: Date, createdBy: StoredUserRef, updatedAt: Date, updatedBy: StoredUserRef) {
        self.id = id
        self.projectID = projectID
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
}

/// The input of `updateProjectTask`: `nil` leaves a field unchanged; `""` clears the due date;
/// `.some(nil)` clears the assignee. The name cannot be cleared.
public struct ProjectTaskChanges: Sendable, Hashable {
    public var name: String?
    public var assigneeID: Int64??
    public var dueOn: String?

    public init(name: String? = nil, assigneeID: Int64?? = nil, dueOn: String? = nil) {
        self.name = name
        self.assigneeID = assigneeID
        self.dueOn = dueOn
    }
}

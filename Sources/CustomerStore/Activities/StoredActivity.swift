import Foundation

/// What an activity of a customer is.
public enum ActivityKind: String, Sendable, Hashable, CaseIterable {
    case note, task, event
    /// A task of one of the customer's projects (a `ProjectTask`): `id` is the project task's id.
    case projectTask
}

extension ActivityKind: StoredKind {
    static func candidate(startingWith byte: UInt8?) -> ActivityKind {
        switch byte {
        case UInt8(ascii: "t"): .task
        case UInt8(ascii: "e"): .event
        case UInt8(ascii: "p"): .projectTask
        default: .note
        }
    }

    /// As the activity reads always read it.
    static var unknown: ActivityKind { .note }
}

/// A note, task or calendar event of a customer (later also the tasks of its projects).
public struct StoredActivity: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64
    public var kind: ActivityKind
    /// The note's text for a note.
    public var subject: String
    /// Tasks only; for a project task its due date at 00:00 UTC.
    public var dueAt: Date?
    /// Events only.
    public var startsAt: Date?
    public var endsAt: Date?
    /// Tasks only.
    public var assignee: StoredUserRef?
    public var contact: StoredContactRef?
    /// In the "done" list: a completed task, an event that has ended (at the time of the read), a note.
    public var done: Bool
    public var completedAt: Date?
    public var completedBy: StoredUserRef?
    /// The project of a project task, or the one a note, task or event belongs to; nil otherwise.
    public var projectID: Int64?
    public var projectName: String?
    public var version: Int64
    public var createdAt: Date
    public var createdBy: StoredUserRef
    public var updatedAt: Date
    public var updatedBy: StoredUserRef
    /// The zone its times were given in (an IANA name such as `Europe/Helsinki`, or `GMT+0200`),
    /// so they are shown at the time of day that was meant; nil for a note and older activities.
    public var timeZone: String?

    public init(id: Int64, customerID: Int64, kind: ActivityKind, subject: String, dueAt: Date? = nil,
                startsAt: Date? = nil, endsAt: Date? = nil, assignee: StoredUserRef? = nil, contact: StoredContactRef? = nil,
                done: Bool, completedAt: Date? = nil, completedBy: StoredUserRef? = nil, projectID: Int64? = nil,
                projectName: String? = nil, version: Int64, createdAt: Date, createdBy: StoredUserRef, updatedAt: Date,
                updatedBy: StoredUserRef, timeZone: String? = nil) {
        self.id = id
        self.customerID = customerID
        self.kind = kind
        self.subject = subject
        self.dueAt = dueAt
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.assignee = assignee
        self.contact = contact
        self.done = done
        self.completedAt = completedAt
        self.completedBy = completedBy
        self.projectID = projectID
        self.projectName = projectName
        self.version = version
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
        self.timeZone = timeZone
    }
}

/// A customer's activities split as the card shows them.
public struct StoredActivityList: Sendable, Hashable {
    /// Open tasks and events that have not ended: by due or start date, earliest first, undated last.
    public var planned: [StoredActivity]
    /// Completed tasks, ended events and notes: by completion, end or creation date, newest first.
    public var done: [StoredActivity]

    public init(planned: [StoredActivity], done: [StoredActivity]) {
        self.planned = planned
        self.done = done
    }
}

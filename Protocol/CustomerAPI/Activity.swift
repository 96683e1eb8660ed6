import Foundation

/// A note, task or calendar entry on a customer (and, once projects exist, a project task).
public struct Activity: Codable, Sendable, Hashable {
    public enum Kind: Int, Codable, Sendable, CaseIterable {
        case note = 0, task = 1, event = 2, projectTask = 3
    }

    public var id: Int64
    public var customerId: Int64
    public var kind: Kind
    /// The subject of a task or event; the text of a note.
    public var subject: String
    public var dueDate: Date?
    public var startsAt: Date?
    public var endsAt: Date?
    public var assignee: UserRef?
    public var contact: ContactRef?
    public var completedAt: Date?
    public var completedBy: UserRef?
    /// The project it belongs to (a project task's, or the one a note, task or event was linked
    /// to), so the list can link to it.
    public var projectId: Int64?
    public var projectName: String?
    public var version: Int64
    public var createdAt: Date
    public var createdBy: UserRef
    public var updatedAt: Date
    public var updatedBy: UserRef
    /// The zone its times were given in (an IANA name such as `Europe/Helsinki`, or `GMT+0200`):
    /// show them there, at the time of day that was meant. Absent for notes and older activities.
    public var timeZone: String?
    /// Done: a completed task, an event that has ended, a note.
    ///
    /// Declared last, not where the public initialiser takes it (after `contact`): so the memberwise
    /// initialiser the compiler synthesises differs from the public one, and the decoder builds
    /// the value with it (see `Customer.deleted`).
    public var done: Bool

    // Package-wide: the server writes the card's contact tab from the store's records.
    package enum CodingKeys: Int, CodingKey {
        case id = 1, customerId = 2, kind = 3, subject = 4, dueDate = 5, startsAt = 6, endsAt = 7, assignee = 8
        case contact = 9, done = 10, completedAt = 11, completedBy = 12, projectId = 13, projectName = 14
        case version = 15, createdAt = 16, createdBy = 17, updatedAt = 18, updatedBy = 19, timeZone = 20
    }
}

extension Activity {
    public init(
        id: Int64, customerId: Int64, kind: Kind, subject: String, dueDate: Date? = nil, startsAt: Date? = nil,
        endsAt: Date? = nil, assignee: UserRef? = nil, contact: ContactRef? = nil, done: Bool,
        completedAt: Date? = nil, completedBy: UserRef? = nil, projectId: Int64? = nil, projectName: String? = nil,
        version: Int64, createdAt: Date, createdBy: UserRef, updatedAt: Date, updatedBy: UserRef, timeZone: String? = nil
    ) {
        self.id = id
        self.customerId = customerId
        self.kind = kind
        self.subject = subject
        self.dueDate = dueDate
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.assignee = assignee
        self.contact = contact
        self.done = done
        self.completedAt = completedAt
        self.completedBy = completedBy
        self.projectId = projectId
        self.projectName = projectName
        self.version = version
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
        self.timeZone = timeZone
    }
}

/// A quick note: one call with only the text.
public struct AddNoteRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    public var text: String
    public var contactId: Int64?
    /// A project (or sales case) of the same customer the note belongs to.
    public var projectId: Int64?

    public init(customerId: Int64, text: String, contactId: Int64? = nil, projectId: Int64? = nil) {
        self.customerId = customerId
        self.text = text
        self.contactId = contactId
        self.projectId = projectId
    }

    enum CodingKeys: Int, CodingKey { case customerId = 1, text = 2, contactId = 3, projectId = 4 }
}

public struct AddTaskRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    public var subject: String
    public var dueDate: Date?
    /// A user name; default: the caller.
    public var assignee: String?
    public var contactId: Int64?
    /// The zone `dueDate` was given in (see ``Activity/timeZone``).
    public var timeZone: String?
    /// A project (or sales case) of the same customer the task belongs to.
    public var projectId: Int64?

    public init(customerId: Int64, subject: String, dueDate: Date? = nil, assignee: String? = nil, contactId: Int64? = nil,
                timeZone: String? = nil, projectId: Int64? = nil) {
        self.customerId = customerId
        self.subject = subject
        self.dueDate = dueDate
        self.assignee = assignee
        self.contactId = contactId
        self.timeZone = timeZone
        self.projectId = projectId
    }

    enum CodingKeys: Int, CodingKey {
        case customerId = 1, subject = 2, dueDate = 3, assignee = 4, contactId = 5, timeZone = 6, projectId = 7
    }
}

public struct AddEventRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    public var subject: String
    public var startsAt: Date
    public var endsAt: Date
    public var contactId: Int64?
    /// The zone the times were given in (see ``Activity/timeZone``).
    public var timeZone: String?
    /// A project (or sales case) of the same customer the event belongs to.
    public var projectId: Int64?

    public init(customerId: Int64, subject: String, startsAt: Date, endsAt: Date, contactId: Int64? = nil,
                timeZone: String? = nil, projectId: Int64? = nil) {
        self.customerId = customerId
        self.subject = subject
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.contactId = contactId
        self.timeZone = timeZone
        self.projectId = projectId
    }

    enum CodingKeys: Int, CodingKey {
        case customerId = 1, subject = 2, startsAt = 3, endsAt = 4, contactId = 5, timeZone = 6, projectId = 7
    }
}

/// Names one task (complete, reopen).
public struct TaskIDRequest: Codable, Sendable, Hashable {
    public var id: Int64

    public init(id: Int64) { self.id = id }

    enum CodingKeys: Int, CodingKey { case id = 1 }
}

/// Lists a customer's activities; with `projectId`, only that project's: its tasks and the
/// notes, tasks and events linked to it. (Field 1 is `CustomerIDRequest`'s, so older clients that
/// send that message are answered as before.)
public struct ListActivitiesRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    /// A project (or sales case) of the customer.
    public var projectId: Int64?

    public init(customerId: Int64, projectId: Int64? = nil) {
        self.customerId = customerId
        self.projectId = projectId
    }

    enum CodingKeys: Int, CodingKey { case customerId = 1, projectId = 2 }
}

/// A customer's activities split into planned (in progress) and done, each ordered by date.
public struct ActivityList: Codable, Sendable, Hashable {
    public var planned: [Activity]
    public var done: [Activity]

    public init(planned: [Activity], done: [Activity]) {
        self.planned = planned
        self.done = done
    }

    // Package-wide: the server writes the card's contact tab from the store's records.
    package enum CodingKeys: Int, CodingKey { case planned = 1, done = 2 }
}

import Foundation

/// Changes some fields of a customer's own note, task or event; absent fields stay as they are.
/// A field its kind does not have (a note's due date) is refused as INVALID_ARGUMENT.
public struct UpdateActivityRequest: Codable, Sendable, Hashable {
    /// A field that `clear` can remove.
    public enum ClearableField: Int, Codable, Sendable, CaseIterable {
        case dueDate = 0, timeZone = 1, contact = 2, project = 3
    }

    public var id: Int64
    /// Refuses the change (ABORTED) when the activity's version is no longer this one.
    public var expectedVersion: Int64?
    /// A task's or event's subject; a note's text.
    public var subject: String?
    /// Tasks only.
    public var dueDate: Date?
    /// Events only (with `endsAt` not before it).
    public var startsAt: Date?
    public var endsAt: Date?
    /// The zone the times are meant in (see ``Activity/timeZone``).
    public var timeZone: String?
    /// Tasks only: a user name.
    public var assignee: String?
    /// A contact of the same customer that is not deleted.
    public var contactId: Int64?
    /// Fields to remove; a field both set and cleared is refused.
    public var clear: [ClearableField]
    /// A project (or sales case) of the same customer; NOT_FOUND when there is no such project.
    public var projectId: Int64?

    public init(id: Int64, expectedVersion: Int64? = nil, subject: String? = nil, dueDate: Date? = nil,
                startsAt: Date? = nil, endsAt: Date? = nil, timeZone: String? = nil, assignee: String? = nil,
                contactId: Int64? = nil, clear: [ClearableField] = [], projectId: Int64? = nil) {
        self.id = id
        self.expectedVersion = expectedVersion
        self.subject = subject
        self.dueDate = dueDate
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.timeZone = timeZone
        self.assignee = assignee
        self.contactId = contactId
        self.clear = clear
        self.projectId = projectId
    }

    enum CodingKeys: Int, CodingKey {
        case id = 1, expectedVersion = 2, subject = 3, dueDate = 4, startsAt = 5, endsAt = 6, timeZone = 7
        case assignee = 8, contactId = 9, clear = 10, projectId = 11
    }
}

/// Removes a customer's own note, task or event; its history remains.
public struct DeleteActivityRequest: Codable, Sendable, Hashable {
    public var id: Int64
    /// Refuses the removal (ABORTED) when the activity's version is no longer this one.
    public var expectedVersion: Int64?

    public init(id: Int64, expectedVersion: Int64? = nil) {
        self.id = id
        self.expectedVersion = expectedVersion
    }

    enum CodingKeys: Int, CodingKey { case id = 1, expectedVersion = 2 }
}

/// The id of the activity removed.
public struct DeleteActivityResponse: Codable, Sendable, Hashable {
    public var id: Int64

    public init(id: Int64) { self.id = id }

    enum CodingKeys: Int, CodingKey { case id = 1 }
}

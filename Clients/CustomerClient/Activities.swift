import Foundation

/// `customer.v1.ActivityService` as Swift calls.
public struct Activities: Sendable {
    let channel: ClientChannel

    /// A quick note: only the text (a contact and a project of the customer are optional).
    public func note(customerID: Int64, _ text: String, contactID: Int64? = nil, projectID: Int64? = nil,
                     options: CallOptions = CallOptions()) async throws -> Activity {
        try await channel.call(
            ActivityService.addNote,
            AddNoteRequest(customerId: customerID, text: text, contactId: contactID, projectId: projectID),
            options: options)
    }

    /// A task; the assignee (a user name) defaults to the caller.
    public func task(
        customerID: Int64, _ subject: String, due: Date? = nil, assignee: String? = nil, contactID: Int64? = nil,
        timeZone: String? = nil, projectID: Int64? = nil, options: CallOptions = CallOptions()
    ) async throws -> Activity {
        try await channel.call(
            ActivityService.addTask,
            AddTaskRequest(customerId: customerID, subject: subject, dueDate: due, assignee: assignee, contactId: contactID,
                           timeZone: timeZone, projectId: projectID),
            options: options)
    }

    /// A calendar entry.
    public func event(
        customerID: Int64, _ subject: String, from start: Date, to end: Date, contactID: Int64? = nil,
        timeZone: String? = nil, projectID: Int64? = nil, options: CallOptions = CallOptions()
    ) async throws -> Activity {
        try await channel.call(
            ActivityService.addEvent,
            AddEventRequest(customerId: customerID, subject: subject, startsAt: start, endsAt: end, contactId: contactID,
                            timeZone: timeZone, projectId: projectID),
            options: options)
    }

    /// Changes the fields the request gives (see ``UpdateActivityRequest``).
    public func update(_ request: UpdateActivityRequest, options: CallOptions = CallOptions()) async throws -> Activity {
        try await channel.call(ActivityService.updateActivity, request, options: options)
    }

    /// Removes a note, task or event; its history remains.
    public func delete(id: Int64, expectedVersion: Int64? = nil, options: CallOptions = CallOptions()) async throws {
        _ = try await channel.call(ActivityService.deleteActivity,
                                   DeleteActivityRequest(id: id, expectedVersion: expectedVersion), options: options)
    }

    public func complete(taskID: Int64, options: CallOptions = CallOptions()) async throws -> Activity {
        try await channel.call(ActivityService.completeTask, TaskIDRequest(id: taskID), options: options)
    }

    public func reopen(taskID: Int64, options: CallOptions = CallOptions()) async throws -> Activity {
        try await channel.call(ActivityService.reopenTask, TaskIDRequest(id: taskID), options: options)
    }

    /// Planned (open tasks, coming events) and done (completed tasks, past events, notes); with
    /// `projectID`, only that project's tasks and the activities linked to it.
    public func list(customerID: Int64, projectID: Int64? = nil, options: CallOptions = CallOptions())
        async throws -> ActivityList
    {
        try await channel.call(ActivityService.listActivities,
                               ListActivitiesRequest(customerId: customerID, projectId: projectID), options: options)
    }
}

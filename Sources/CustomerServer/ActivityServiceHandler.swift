import CustomerAPI
import CustomerStore
import Foundation
import RPCServing

/// Serves `customer.v1.ActivityService`.
struct ActivityServiceHandler: GuardedService {
    var store: CustomerStore

    func register(with router: inout GuardedRouter) {
        router.register(ActivityService.addNote,
                        requires: .customers(.edit, customer: \.customerId)) { request, context in
            let caller = try Caller.of(context)
            return Activity(
                try store.answering(context).addNote(customerID: request.customerId, text: request.text, contactID: request.contactId,
                                                     projectID: request.projectId, by: caller.author))
        }
        router.register(ActivityService.addTask,
                        requires: .customers(.edit, customer: \.customerId)) { request, context in
            let caller = try Caller.of(context)
            let assignee = try request.assignee.map { try store.userID(named: $0, field: "assignee") } ?? caller.user.id
            return Activity(
                try store.answering(context).addTask(
                    customerID: request.customerId, subject: request.subject, dueAt: request.dueDate,
                    timeZone: request.timeZone, assigneeID: assignee, contactID: request.contactId,
                    projectID: request.projectId, by: caller.author))
        }
        router.register(ActivityService.addEvent,
                        requires: .customers(.edit, customer: \.customerId)) { request, context in
            let caller = try Caller.of(context)
            return Activity(
                try store.answering(context).addEvent(
                    customerID: request.customerId, subject: request.subject, startsAt: request.startsAt,
                    endsAt: request.endsAt, timeZone: request.timeZone, contactID: request.contactId,
                    projectID: request.projectId, by: caller.author))
        }
        router.register(ActivityService.completeTask, requires: .customers(.edit, activity: \.id)) { request, context in
            let caller = try Caller.of(context)
            return Activity(try store.answering(context).completeTask(id: request.id, by: caller.author))
        }
        router.register(ActivityService.reopenTask, requires: .customers(.edit, activity: \.id)) { request, context in
            let caller = try Caller.of(context)
            return Activity(try store.answering(context).reopenTask(id: request.id, by: caller.author))
        }
        router.register(ActivityService.updateActivity, requires: .customers(.edit, activity: \.id)) { request, context in
            let caller = try Caller.of(context)
            let changes = try activityChanges(from: request)
            return Activity(try store.answering(context).updateActivity(id: request.id, changes, expectedVersion: request.expectedVersion,
                                                                        by: caller.author))
        }
        router.register(ActivityService.deleteActivity, requires: .customers(.edit, activity: \.id)) { request, context in
            let caller = try Caller.of(context)
            try store.answering(context).deleteActivity(id: request.id, expectedVersion: request.expectedVersion, by: caller.author)
            return DeleteActivityResponse(id: request.id)
        }
        router.register(ActivityService.listActivities,
                        requires: .customers(.read, customer: \.customerId)) { request, _ in
            ActivityList(try store.activities(customerID: request.customerId, projectID: request.projectId, now: Date()))
        }
    }

    /// The store's changes for a request; a field both given and cleared is refused by name.
    private func activityChanges(from request: UpdateActivityRequest) throws -> ActivityChanges {
        try RepeatedFieldCap.check(request.clear.count, field: "clear")
        let cleared = Set(request.clear)
        let both: [(UpdateActivityRequest.ClearableField, String, Bool)] = [
            (.dueDate, "dueDate", request.dueDate != nil), (.timeZone, "timeZone", request.timeZone != nil),
            (.contact, "contactId", request.contactId != nil), (.project, "projectId", request.projectId != nil),
        ]
        let conflicts = both.filter { cleared.contains($0.0) && $0.2 }.map {
            ErrorDetail(field: $0.1, reason: "is both given and cleared")
        }
        if !conflicts.isEmpty {
            throw RPCError(.invalidArgument, refusing: conflicts)
        }
        var changes = ActivityChanges(subject: request.subject, startsAt: request.startsAt, endsAt: request.endsAt,
                                      assigneeID: try request.assignee.map { try store.userID(named: $0, field: "assignee") })
        if cleared.contains(.dueDate) { changes.dueAt = .some(nil) } else if let due = request.dueDate { changes.dueAt = due }
        if cleared.contains(.timeZone) { changes.timeZone = .some(nil) } else if let zone = request.timeZone { changes.timeZone = zone }
        if cleared.contains(.contact) { changes.contactID = .some(nil) } else if let id = request.contactId { changes.contactID = id }
        if cleared.contains(.project) { changes.projectID = .some(nil) } else if let id = request.projectId { changes.projectID = id }
        return changes
    }
}

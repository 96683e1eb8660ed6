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
                try store.addNote(customerID: request.customerId, text: request.text, contactID: request.contactId, by: caller.author))
        }
        router.register(ActivityService.addTask,
                        requires: .customers(.edit, customer: \.customerId)) { request, context in
            let caller = try Caller.of(context)
            let assignee = try request.assignee.map { try store.userID(named: $0, field: "assignee") } ?? caller.user.id
            return Activity(
                try store.addTask(
                    customerID: request.customerId, subject: request.subject, dueAt: request.dueDate,
                    assigneeID: assignee, contactID: request.contactId, by: caller.author))
        }
        router.register(ActivityService.addEvent,
                        requires: .customers(.edit, customer: \.customerId)) { request, context in
            let caller = try Caller.of(context)
            return Activity(
                try store.addEvent(
                    customerID: request.customerId, subject: request.subject, startsAt: request.startsAt,
                    endsAt: request.endsAt, contactID: request.contactId, by: caller.author))
        }
        router.register(ActivityService.completeTask, requires: .customers(.edit, activity: \.id)) { request, context in
            let caller = try Caller.of(context)
            return Activity(try store.completeTask(id: request.id, by: caller.author))
        }
        router.register(ActivityService.reopenTask, requires: .customers(.edit, activity: \.id)) { request, context in
            let caller = try Caller.of(context)
            return Activity(try store.reopenTask(id: request.id, by: caller.author))
        }
        router.register(ActivityService.listActivities,
                        requires: .customers(.read, customer: \.customerId)) { request, _ in
            ActivityList(try store.activities(customerID: request.customerId, now: Date()))
        }
    }
}

import CustomerAPI
import CustomerStore
import RPCServing

/// Serves `customer.v1.ProjectService` and `customer.v1.CollaborationService`.
struct ProjectServiceHandler: GuardedService {
    var store: CustomerStore

    func register(with router: inout GuardedRouter) {
        router.register(ProjectService.createProject, requires: .financialFigures(toSet: "expectedValue", when: { $0.fields.expectedValue != nil })
            .and(.customers(.edit, customer: \.customerId))) { request, context in
            let caller = try Caller.of(context)
            let fields = try request.fields.storedForCreate(resolvingWith: store)
            let created = request.kind == .salesCase
                ? try store.answering(context).createSalesCase(customerID: request.customerId, fields, by: caller.author)
                : try store.answering(context).createProject(customerID: request.customerId, fields, by: caller.author)
            return caller.shown(Project(created))
        }
        router.register(ProjectService.updateProject, requires: .financialFigures(toSet: "expectedValue", when: { $0.fields.expectedValue != nil })
            .and(.customers(.edit, record: { .project(id: $0.id) }))) { request, context in
            let caller = try Caller.of(context)
            let updated = try store.answering(context).updateProject(
                id: request.id, try request.fields.storedChanges(resolvingWith: store),
                expectedVersion: request.expectedVersion, by: caller.author)
            return caller.shown(Project(updated))
        }
        router.register(ProjectService.getProject, requires: .customers(.read, record: { .project(id: $0.id) })) { request, context in
            try Caller.of(context).shown(Project(try store.project(id: request.id)))
        }
        router.register(ProjectService.listProjects, requires: .customers(.read, customer: \.customerId)) { request, context in
            let projects = try store.projects(customerID: request.customerId, filter: (request.filter ?? .all).stored)
            return ProjectList(projects: try Caller.of(context).shown(projects.map(Project.init)))
        }
        router.register(ProjectService.winSalesCase, requires: .customers(.edit, record: { .project(id: $0.id) })) { request, context in
            let caller = try Caller.of(context)
            let won = try store.answering(context).winSalesCase(
                id: request.id, projectFields: try request.fields.storedChanges(resolvingWith: store), by: caller.author)
            return caller.shown(Project(won))
        }
        router.register(ProjectService.loseSalesCase, requires: .customers(.edit, record: { .project(id: $0.id) })) { request, context in
            let caller = try Caller.of(context)
            return caller.shown(Project(try store.answering(context).loseSalesCase(id: request.id, reason: request.reason,
                                                                                   by: caller.author)))
        }

        router.register(CollaborationService.addProjectTask, requires: .customers(.edit, record: { .project(id: $0.projectId) })) { request, context in
            let caller = try Caller.of(context)
            let assignee = try request.assignee.map { try store.userID(named: $0, field: "assignee") }
            return ProjectTask(
                try store.answering(context).addProjectTask(
                    projectID: request.projectId, name: request.name, assigneeID: assignee, dueOn: request.dueOn,
                    by: caller.author))
        }
        router.register(CollaborationService.setProjectTaskStatus, requires: .customers(.edit, record: { .projectTask(id: $0.id) })) { request, context in
            let caller = try Caller.of(context)
            return ProjectTask(try store.answering(context).setProjectTaskDone(id: request.id, request.status == .done, by: caller.author))
        }
        router.register(CollaborationService.addNote, requires: .customers(.edit, record: { .project(id: $0.projectId) })) { request, context in
            let caller = try Caller.of(context)
            return CollaborationNote(
                try store.answering(context).addCollaborationNote(projectID: request.projectId, text: request.text, by: caller.author))
        }
        router.register(CollaborationService.listCollaboration, requires: .customers(.read, customer: \.customerId)) { request, context in
            _ = try Caller.of(context)
            return CollaborationTab(items: try store.collaboration(customerID: request.customerId).map(CollaborationItem.init))
        }
    }
}

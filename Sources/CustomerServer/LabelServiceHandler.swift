import CustomerAPI
import CustomerStore
import RPCServing

/// Serves `customer.v1.LabelService`: keywords and roles. Changing the lists is administration.
struct LabelServiceHandler: GuardedService {
    var store: CustomerStore

    func register(with router: inout GuardedRouter) {
        router.register(LabelService.createLabel, requires: .administration) { request, context in
            Label(try store.answering(context).createLabel(request.kind.stored, name: request.name))
        }
        router.register(LabelService.renameLabel, requires: .administration) { request, context in
            Label(try store.answering(context).renameLabel(request.kind.stored, name: request.name, to: request.newName,
                                                           by: try Caller.of(context).author))
        }
        router.register(LabelService.deleteLabel, requires: .administration) { request, context in
            DeleteLabelResponse(
                unassigned: try store.answering(context).deleteLabel(request.kind.stored, name: request.name,
                                                                     force: request.force ?? false,
                                                                     by: try Caller.of(context).author))
        }
        router.register(LabelService.listLabels, requires: .signedIn) { request, context in
            LabelList(labels: try Caller.of(context).visible(store.labels(request.kind.stored), in: store).map(Label.init))
        }
    }
}

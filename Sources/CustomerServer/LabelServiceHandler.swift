import CustomerAPI
import RPC

/// Serves `customer.v1.LabelService`: keywords and roles. Changing the lists is administration.
struct LabelServiceHandler: RPCService {
    let store: Store

    func register(with router: inout Router) {
        router.register(LabelService.createLabel) { request, context in
            try Caller.of(context).requireAdministrator(for: "creating a \(request.kind)")
            return CustomerAPI.Label(try store.createLabel(request.kind.stored, name: request.name))
        }
        router.register(LabelService.renameLabel) { request, context in
            try Caller.of(context).requireAdministrator(for: "renaming a \(request.kind)")
            return CustomerAPI.Label(try store.renameLabel(request.kind.stored, name: request.name, to: request.newName))
        }
        router.register(LabelService.deleteLabel) { request, context in
            try Caller.of(context).requireAdministrator(for: "deleting a \(request.kind)")
            return DeleteLabelResponse(
                unassigned: try store.deleteLabel(request.kind.stored, name: request.name, force: request.force ?? false))
        }
        router.register(LabelService.listLabels) { request, context in
            _ = try Caller.of(context)
            return LabelList(labels: try store.labels(request.kind.stored).map(CustomerAPI.Label.init))
        }
    }
}

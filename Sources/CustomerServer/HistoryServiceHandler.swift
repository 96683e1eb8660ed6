import CustomerAPI
import RPC

/// Serves `customer.v1.HistoryService`.
struct HistoryServiceHandler: RPCService {
    let store: Store

    func register(with router: inout Router) {
        router.register(HistoryService.listHistory) { request, context in
            _ = try Caller.of(context)
            return HistoryList(entries: try store.history(request.entity.stored, id: request.id).map(CustomerAPI.HistoryEntry.init))
        }
    }
}

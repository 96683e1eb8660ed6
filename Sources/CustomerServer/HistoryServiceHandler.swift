import CustomerAPI
import CustomerStore
import RPCServing

/// Serves `customer.v1.HistoryService`.
struct HistoryServiceHandler: GuardedService {
    var store: CustomerStore

    func register(with router: inout GuardedRouter) {
        router.register(HistoryService.listHistory, requires: .customers(.read, record: \.target)) { request, _ in
            HistoryList(entries: try store.history(request.entity.stored, id: request.id).map(HistoryEntry.init))
        }
    }
}

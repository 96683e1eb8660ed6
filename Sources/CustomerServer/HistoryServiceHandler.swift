import CustomerAPI
import CustomerStore
import RPCServing

/// Serves `customer.v1.HistoryService`.
struct HistoryServiceHandler: GuardedService {
    var store: CustomerStore

    func register(with router: inout GuardedRouter) {
        router.register(HistoryService.listHistory, requires: .customers(.read, record: \.target)) { request, context in
            let caller = try Caller.of(context)
            // Money changes (a sales case's expected value) only with Financial figures, as on the record.
            return HistoryList(entries: caller.shown(try store.history(request.entity.stored, id: request.id).map(HistoryEntry.init)))
        }
    }
}

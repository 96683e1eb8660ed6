import CustomerAPI
import CustomerStore
import RPCServing

/// Serves FindDuplicates and MergeCustomers of `customer.v1.CustomerService` (issue 18 §2).
struct CustomerMergeHandler: GuardedService {
    var store: CustomerStore

    func register(with router: inout GuardedRouter) {
        // Pairs name customers of every account manager, so only a caller who may read them all asks.
        router.register(CustomerService.findDuplicates,
                        requires: .allCustomers(.read)) { (request: FindDuplicatesRequest, _) in
            let limit = try PageLimit.checked(request.limit, default: FindDuplicatesRequest.defaultLimit, maximum: FindDuplicatesRequest.maximumLimit)
            let page = try store.findDuplicates(limit: limit, pageToken: request.pageToken)
            return FindDuplicatesResponse(pairs: page.pairs.map(DuplicatePair.init), nextPageToken: page.nextPageToken)
        }
        // The absorbed customer stops existing, as a deleted one does: the delete right, and edit on both.
        router.register(CustomerService.mergeCustomers,
                        requires: .deleteCustomers.and(.customers(.edit, each: { [$0.keepId, $0.absorbId] }))) {
            request, context in
            let caller = try Caller.of(context)
            try RepeatedFieldCap.check(request.doNotFill.count, field: "doNotFill")
            let merge = try store.answering(context).mergeCustomers(keep: request.keepId, absorb: request.absorbId,
                                                                    dryRun: request.dryRun ?? false, doNotFill: request.doNotFill,
                                                                    by: caller.author)
            return MergeCustomersResponse(merge)
        }
    }
}

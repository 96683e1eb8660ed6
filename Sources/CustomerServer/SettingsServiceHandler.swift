import CustomerAPI
import CustomerStore
import RPCServing

/// Serves `customer.v1.SettingsService`: invoicing defaults, market segments and industries.
/// Changing the segment tree and the industry list is administration.
struct SettingsServiceHandler: GuardedService {
    var store: CustomerStore

    func register(with router: inout GuardedRouter) {
        router.register(SettingsService.getSettings, requires: .customers(.read, customer: \.customerId)) { request, context in
            _ = try Caller.of(context)
            return CustomerSettings(try store.customerSettings(customerID: request.customerId))
        }
        router.register(SettingsService.updateSettings, requires: .customers(.edit, customer: \.customerId)) { request, context in
            let caller = try Caller.of(context)
            return CustomerSettings(
                try store.answering(context).updateCustomerSettings(
                    customerID: request.customerId, request.fields.storedChanges, expectedVersion: request.expectedVersion,
                    by: caller.author))
        }
        router.register(SettingsService.createSegment, requires: .administration) { request, context in
            return Segment(try store.answering(context).createSegment(name: request.name, parentID: request.parentId))
        }
        router.register(SettingsService.updateSegment, requires: .administration) { request, context in
            let placement: SegmentPlacement
            switch (request.parentId, request.moveToRoot == true) {
            case (nil, false): placement = .unchanged
            case (nil, true): placement = .topLevel
            case (let parent?, false): placement = .under(parent)
            case (_?, true):
                throw RPCError(.invalidArgument, field: "moveToRoot", "give parentId or moveToRoot, not both")
            }
            guard request.name != nil || placement != .unchanged else {
                throw RPCError(.invalidArgument, field: "name", "nothing to change: give name, parentId or moveToRoot")
            }
            // One write: a rename whose move is refused (or the other way round) changes nothing.
            return Segment(try store.answering(context).updateSegment(id: request.id, name: request.name,
                                                                      placement: placement))
        }
        router.register(SettingsService.deleteSegment, requires: .administration) { request, context in
            _ = try store.answering(context).deleteSegment(id: request.id, force: request.force ?? false)
            return SegmentList(segments: try store.segments().map(Segment.init))
        }
        router.register(SettingsService.listSegments, requires: .signedIn) { _, context in
            SegmentList(segments: try Caller.of(context).visible(store.segments(), in: store).map(Segment.init))
        }
        router.register(SettingsService.setCustomerSegments, requires: .customers(.edit, customer: \.customerId)) { request, context in
            let caller = try Caller.of(context)
            return SegmentList(
                segments: try caller.visible(store.answering(context).setCustomerSegments(
                    customerID: request.customerId, segmentIDs: request.segmentIds, by: caller.author
                ), in: store).map(Segment.init))
        }
        router.register(SettingsService.createIndustry, requires: .administration) { request, context in
            return Industry(try store.answering(context).createIndustry(name: request.name))
        }
        router.register(SettingsService.renameIndustry, requires: .administration) { request, context in
            guard let newName = request.newName else {
                throw RPCError(.invalidArgument, field: "newName", "required to rename an industry")
            }
            return Industry(try store.answering(context).renameIndustry(name: request.name, to: newName))
        }
        router.register(SettingsService.deleteIndustry, requires: .administration) { request, context in
            _ = try store.answering(context).deleteIndustry(name: request.name, force: request.force ?? false)
            return IndustryList(industries: try store.industries().map(Industry.init))
        }
        router.register(SettingsService.listIndustries, requires: .signedIn) { _, context in
            IndustryList(industries: try Caller.of(context).visible(store.industries(), in: store).map(Industry.init))
        }
    }
}

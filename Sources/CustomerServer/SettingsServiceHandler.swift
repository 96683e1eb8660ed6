import CustomerAPI
import RPC

/// Serves `customer.v1.SettingsService`: invoicing defaults, market segments and industries.
/// Changing the segment tree and the industry list is administration.
struct SettingsServiceHandler: RPCService {
    let store: Store

    func register(with router: inout Router) {
        router.register(SettingsService.getSettings) { request, context in
            _ = try Caller.of(context)
            return CustomerAPI.CustomerSettings(try store.customerSettings(customerID: request.customerId))
        }
        router.register(SettingsService.updateSettings) { request, context in
            let caller = try Caller.of(context)
            return CustomerAPI.CustomerSettings(
                try store.updateCustomerSettings(
                    customerID: request.customerId, request.fields.storedChanges, expectedVersion: request.expectedVersion,
                    by: caller.user.id))
        }
        router.register(SettingsService.createSegment) { request, context in
            try Caller.of(context).requireAdministrator(for: "changing the market segments")
            return CustomerAPI.Segment(try store.createSegment(name: request.name, parentID: request.parentId))
        }
        router.register(SettingsService.updateSegment) { request, context in
            try Caller.of(context).requireAdministrator(for: "changing the market segments")
            var segment: StoredSegment?
            if let name = request.name {
                segment = try store.renameSegment(id: request.id, name: name)
            }
            if request.moveToRoot == true || request.parentId != nil {
                segment = try store.moveSegment(id: request.id, parentID: request.moveToRoot == true ? nil : request.parentId)
            }
            guard let segment else {
                throw RPCError(
                    .invalidArgument, "nothing to change: give a new name, a parent or moveToRoot",
                    details: [ErrorDetail(field: "name", reason: "give name, parentId or moveToRoot")])
            }
            return CustomerAPI.Segment(segment)
        }
        router.register(SettingsService.deleteSegment) { request, context in
            try Caller.of(context).requireAdministrator(for: "changing the market segments")
            _ = try store.deleteSegment(id: request.id, force: request.force ?? false)
            return SegmentList(segments: try store.segments().map(CustomerAPI.Segment.init))
        }
        router.register(SettingsService.listSegments) { _, context in
            _ = try Caller.of(context)
            return SegmentList(segments: try store.segments().map(CustomerAPI.Segment.init))
        }
        router.register(SettingsService.setCustomerSegments) { request, context in
            let caller = try Caller.of(context)
            return SegmentList(
                segments: try store.setCustomerSegments(
                    customerID: request.customerId, segmentIDs: request.segmentIds, by: caller.user.id
                ).map(CustomerAPI.Segment.init))
        }
        router.register(SettingsService.createIndustry) { request, context in
            try Caller.of(context).requireAdministrator(for: "changing the industry list")
            return CustomerAPI.Industry(try store.createIndustry(name: request.name))
        }
        router.register(SettingsService.renameIndustry) { request, context in
            try Caller.of(context).requireAdministrator(for: "changing the industry list")
            guard let newName = request.newName else {
                throw RPCError(
                    .invalidArgument, "newName is required to rename an industry",
                    details: [ErrorDetail(field: "newName", reason: "required")])
            }
            return CustomerAPI.Industry(try store.renameIndustry(name: request.name, to: newName))
        }
        router.register(SettingsService.deleteIndustry) { request, context in
            try Caller.of(context).requireAdministrator(for: "changing the industry list")
            _ = try store.deleteIndustry(name: request.name, force: request.force ?? false)
            return IndustryList(industries: try store.industries().map(CustomerAPI.Industry.init))
        }
        router.register(SettingsService.listIndustries) { _, context in
            _ = try Caller.of(context)
            return IndustryList(industries: try store.industries().map(CustomerAPI.Industry.init))
        }
    }
}

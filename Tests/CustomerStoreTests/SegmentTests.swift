import Foundation
import Testing
@testable import CustomerStore

@Suite struct SegmentTests {
    /// Industry / Manufacturing / Machinery, Industry / Services, Public sector.
    struct Tree {
        let industry, manufacturing, machinery, services, publicSector: StoredSegment

        init(_ store: CustomerStore) throws {
            industry = try store.createSegment(name: "Industry", parentID: nil)
            manufacturing = try store.createSegment(name: "Manufacturing", parentID: industry.id)
            machinery = try store.createSegment(name: " Machinery ", parentID: manufacturing.id)
            services = try store.createSegment(name: "Services", parentID: industry.id)
            publicSector = try store.createSegment(name: "Public sector", parentID: nil)
        }
    }

    @Test func pathsAreComputedAndListedParentFirst() throws {
        let fixture = try Fixture()
        let tree = try Tree(fixture.store)
        #expect(tree.machinery == StoredSegment(id: tree.machinery.id, parentID: tree.manufacturing.id, name: "Machinery",
                                          path: ["Industry", "Manufacturing", "Machinery"], customerCount: 0))
        #expect(tree.machinery.displayPath == "Industry / Manufacturing / Machinery")
        #expect(try fixture.store.segments().map(\.displayPath) == [
            "Industry", "Industry / Manufacturing", "Industry / Manufacturing / Machinery", "Industry / Services",
            "Public sector",
        ])
    }

    @Test func namesAreUniqueAmongSiblingsIgnoringCase() throws {
        let fixture = try Fixture()
        let tree = try Tree(fixture.store)
        #expect(throws: StoreError.alreadyExists("is already taken by the sibling segment 'Services' (names are compared as they print: ignoring case, compatibility forms and characters that do not show)", field: "name")) {
            try fixture.store.createSegment(name: "SERVICES", parentID: tree.industry.id)
        }
        #expect(throws: StoreError.alreadyExists("is already taken by the sibling segment 'Industry' (names are compared as they print: ignoring case, compatibility forms and characters that do not show)", field: "name")) {
            try fixture.store.createSegment(name: "industry", parentID: nil)
        }
        // The same name elsewhere in the tree is fine.
        _ = try fixture.store.createSegment(name: "Services", parentID: tree.publicSector.id)
        #expect(violations { _ = try fixture.store.createSegment(name: " ", parentID: nil) }?.map(\.field) == ["name"])
        #expect(violations { _ = try fixture.store.createSegment(name: "a\u{1F}b", parentID: nil) }?.map(\.field) == ["name"])
        #expect(violations { _ = try fixture.store.createSegment(name: "Orphan", parentID: 999) }?.map(\.field) == ["parentId"])
    }

    @Test func renameAndMoveCarryTheSubtree() throws {
        let fixture = try Fixture()
        let tree = try Tree(fixture.store)
        _ = try fixture.store.updateSegment(id: tree.manufacturing.id, name: "Production", placement: .unchanged)
        let moved = try fixture.store.updateSegment(id: tree.manufacturing.id, name: nil, placement: .under(tree.publicSector.id))
        #expect(moved.path == ["Public sector", "Production"] && moved.parentID == tree.publicSector.id)
        let top = try fixture.store.updateSegment(id: tree.machinery.id, name: nil, placement: .topLevel)
        #expect(top.path == ["Machinery"] && top.parentID == nil)
        #expect(try fixture.store.segments().map(\.displayPath) == [
            "Industry", "Industry / Services", "Machinery", "Public sector", "Public sector / Production",
        ])
        #expect(throws: StoreError.alreadyExists("is already taken by the sibling segment 'Machinery' (names are compared as they print: ignoring case, compatibility forms and characters that do not show)", field: "name")) {
            try fixture.store.updateSegment(id: tree.publicSector.id, name: "machinery", placement: .unchanged)
        }
    }

    /// A rename with a move is one write: refused for either, it changes nothing; and the sibling
    /// rule is checked at the new place only.
    @Test func aRenameWithARefusedMoveChangesNothing() throws {
        let fixture = try Fixture()
        let tree = try Tree(fixture.store)
        let before = try fixture.store.segments()
        #expect(throws: StoreError.self) {
            try fixture.store.updateSegment(id: tree.industry.id, name: "Renamed", placement: .under(tree.machinery.id))
        }
        #expect(violations {
            _ = try fixture.store.updateSegment(id: tree.industry.id, name: "Renamed", placement: .under(999))
        }?.map(\.field) == ["parentId"])
        #expect(throws: StoreError.alreadyExists("is already taken by the sibling segment 'Public sector' (names are compared as they print: ignoring case, compatibility forms and characters that do not show)", field: "name")) {
            try fixture.store.updateSegment(id: tree.machinery.id, name: "public sector", placement: .topLevel)
        }
        #expect(try fixture.store.segments() == before)
        // "Services" is taken under Industry, not at the top level where the segment goes.
        let moved = try fixture.store.updateSegment(id: tree.machinery.id, name: "Services", placement: .topLevel)
        #expect(moved.path == ["Services"] && moved.parentID == nil)
    }

    @Test func aMoveThatWouldCloseACycleIsRefused() throws {
        let fixture = try Fixture()
        let tree = try Tree(fixture.store)
        for target in [tree.industry, tree.manufacturing, tree.machinery] {
            #expect(throws: StoreError.failedPrecondition("segment \(tree.industry.id) cannot move under segment "
                + "\(target.id): that is the segment itself or one of its sub-segments", field: "parentId")) {
                try fixture.store.updateSegment(id: tree.industry.id, name: nil, placement: .under(target.id))
            }
        }
        #expect(try fixture.store.segments().map(\.displayPath).first == "Industry")
        #expect(throws: StoreError.notFound("segment 999 does not exist")) {
            try fixture.store.updateSegment(id: 999, name: nil, placement: .topLevel)
        }
    }

    @Test func deletionRefusesChildrenAlwaysAndAssignedCustomersUnlessForced() throws {
        let fixture = try Fixture()
        let tree = try Tree(fixture.store)
        let customers = try ["A", "B"].map { try fixture.create($0) }
        for customer in customers {
            _ = try fixture.store.setCustomerSegments(customerID: customer.id, segmentIDs: [tree.machinery.id],
                                                      by: .user(fixture.admin.id))
        }
        for force in [false, true] {
            #expect(throws: StoreError.failedPrecondition("segment \(tree.industry.id) has 2 sub-segments: "
                + "delete or move them first", field: "id")) {
                try fixture.store.deleteSegment(id: tree.industry.id, force: force)
            }
        }
        #expect(throws: StoreError.failedPrecondition("2 customers have segment \(tree.machinery.id) chosen: "
            + "delete it with force=true to remove it from them", field: "force")) {
            try fixture.store.deleteSegment(id: tree.machinery.id, force: false)
        }
        #expect(try fixture.store.deleteSegment(id: tree.machinery.id, force: true) == 2)
        #expect(try fixture.store.customerSegments(customerID: customers[0].id) == [])
        #expect(try fixture.store.deleteSegment(id: tree.manufacturing.id, force: false) == 0)
        #expect(try fixture.store.segments().count == 3)
    }

    /// A customer's segments are read by walking up from them, not from the whole tree: the rows
    /// are the tree's own (path, parent, count, order), at every depth, roots included.
    @Test func aCustomersSegmentsAreTheTreesRowsForThem() throws {
        let fixture = try Fixture()
        let tree = try Tree(fixture.store)
        let customer = try fixture.create("Walked Oy")
        let other = try fixture.create("Other Oy")
        _ = try fixture.store.setCustomerSegments(customerID: other.id, segmentIDs: [tree.machinery.id], by: .user(fixture.admin.id))
        let chosen: Set = [tree.machinery.id, tree.industry.id, tree.publicSector.id, tree.services.id]
        let read = try fixture.store.setCustomerSegments(customerID: customer.id, segmentIDs: Array(chosen),
                                                         by: .user(fixture.admin.id))
        #expect(read == (try fixture.store.segments().filter { chosen.contains($0.id) }))
        #expect(read.map(\.displayPath) == [
            "Industry", "Industry / Manufacturing / Machinery", "Industry / Services", "Public sector",
        ])
        #expect(read.first { $0.id == tree.machinery.id }?.customerCount == 2)
    }

    /// The contact-information tab reads a customer's segments only after a probe finds one:
    /// none before any is chosen and after they are cleared, the chosen ones in between.
    @Test func theContactTabShowsTheChosenSegmentsAndNoneOtherwise() throws {
        let fixture = try Fixture()
        let tree = try Tree(fixture.store)
        let customer = try fixture.create("Probed Oy")
        let tab = { try fixture.store.contactInformation(customerID: customer.id, now: Date()).segments.map(\.displayPath) }
        #expect(try tab() == [])
        _ = try fixture.store.setCustomerSegments(customerID: customer.id, segmentIDs: [tree.publicSector.id, tree.machinery.id],
                                                  by: .user(fixture.admin.id))
        #expect(try tab() == ["Industry / Manufacturing / Machinery", "Public sector"])
        _ = try fixture.store.setCustomerSegments(customerID: customer.id, segmentIDs: [], by: .user(fixture.admin.id))
        #expect(try tab() == [])
    }

    @Test func aCustomersSegmentsAreReplacedAsASetAndRecorded() throws {
        let fixture = try Fixture()
        let tree = try Tree(fixture.store)
        let customer = try fixture.create("Segmented Oy")
        let chosen = try fixture.store.setCustomerSegments(
            customerID: customer.id, segmentIDs: [tree.publicSector.id, tree.machinery.id, tree.machinery.id],
            by: .user(fixture.admin.id))
        #expect(chosen.map(\.displayPath) == ["Industry / Manufacturing / Machinery", "Public sector"])
        #expect(chosen.map(\.customerCount) == [1, 1])
        #expect(try fixture.store.customerSegments(customerID: customer.id) == chosen)
        let replaced = try fixture.store.setCustomerSegments(customerID: customer.id, segmentIDs: [tree.services.id],
                                                             by: .user(fixture.other.id))
        #expect(replaced.map(\.name) == ["Services"])
        #expect(violations {
            _ = try fixture.store.setCustomerSegments(customerID: customer.id, segmentIDs: [tree.industry.id, 998, 999],
                                                      by: .user(fixture.admin.id))
        } == [FieldViolation(field: "segmentIds", reason: "no segment has id 998, 999")])
        #expect(try fixture.store.customerSegments(customerID: customer.id).map(\.name) == ["Services"])
        _ = try fixture.store.setCustomerSegments(customerID: customer.id, segmentIDs: [tree.services.id], by: .user(fixture.admin.id))

        let entries = try fixture.store.history(.customer, id: customer.id)
        #expect(entries.map(\.action) == ["created", "updated", "updated"])  // the unchanged set is not recorded
        #expect(entries.last?.changes == [StoredFieldChange(
            field: "segments", oldValue: "Industry / Manufacturing / Machinery; Public sector",
            newValue: "Industry / Services")])
        #expect(throws: StoreError.notFound("customer 999 does not exist", field: "customerId")) {
            try fixture.store.setCustomerSegments(customerID: 999, segmentIDs: [], by: .user(fixture.admin.id))
        }
    }
}

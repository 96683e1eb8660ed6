import Foundation
import SQLiteEngine

/// The managed tree of market segments and each customer's chosen segments (Customer settings).
extension CustomerStore {
    static let maxSegmentName = 100
    /// Distinct segments one customer may be given: far more than a customer has, and few enough
    /// that a request naming a million ids is refused before the write transaction looks each up
    /// while every other write waits (docs/HARDENING.md).
    public static let maxSegmentsPerCustomer = 1000
    /// Unknown segment ids an error names at most; the rest are counted.
    static let maxNamedUnknownSegments = 20

    /// Adds a segment under `parentID` (nil: top level).
    /// - Throws: `invalidArgument` on `name` (blank, over 100 characters, control characters) or
    ///   `parentID` (no such segment); `alreadyExists` on `name` when a sibling has it (ignoring case).
    public func createSegment(name: String, parentID: Int64?) throws -> StoredSegment {
        let name = try Self.validSegmentName(name, field: "name")
        return try write { connection in
            if let parentID, try SegmentTree.fetch(connection, SegmentTree.byID, key: parentID).isEmpty {
                throw StoreError.invalid("parentId", "no segment has id \(parentID)")
            }
            try UniqueName.segments.requireFree(connection, name: name, scope: .integer(parentID ?? 0), what: "sibling segment")
            try connection.run("INSERT INTO segments (parent_id, name, name_fold) VALUES (?, ?, ?)",
                               [SQLValue(parentID), .text(name), .text(UniqueName.fold(name))])
            return try Self.requireSegment(connection, id: connection.lastInsertRowID)
        }
    }

    /// Renames and/or moves a segment (with its sub-segments, whose paths follow) in one write, so a
    /// refused update changes nothing: neither a rename whose move is refused nor the other way round.
    /// - Throws: `notFound`; `invalidArgument` on `name` or `parentId` (no such segment);
    ///   `failedPrecondition` on `parentId` when the new parent is the segment itself or one of its
    ///   sub-segments (a cycle); `alreadyExists` on `name` when a sibling at its new place has it.
    public func updateSegment(id: Int64, name: String?, placement: SegmentPlacement) throws -> StoredSegment {
        let name = try name.map { try Self.validSegmentName($0, field: "name") }
        return try write { connection in
            let current = try Self.requireSegment(connection, id: id)
            var parentID = current.parentID
            switch placement {
            case .unchanged: break
            case .topLevel: parentID = nil
            case .under(let newParent):
                if try SegmentTree.fetch(connection, SegmentTree.byID, key: newParent).isEmpty {
                    throw StoreError.invalid("parentId", "no segment has id \(newParent)")
                }
                let cycle = try connection.withStatement(SegmentTree.isSelfOrAncestor) { statement in
                    try statement.bind([.integer(newParent), .integer(id)])
                    return try statement.step() && statement.int64(0) != 0
                }
                if cycle {
                    throw StoreError.failedPrecondition("segment \(id) cannot move under segment \(newParent): "
                        + "that is the segment itself or one of its sub-segments", field: "parentId")
                }
                parentID = newParent
            }
            // One statement: the sibling-name rule is checked once, at the segment's new place.
            let newName = name ?? current.name
            try UniqueName.segments.requireFree(connection, name: newName, scope: .integer(parentID ?? 0), except: id,
                                                what: "sibling segment")
            try connection.run("UPDATE segments SET name = ?, name_fold = ?, parent_id = ? WHERE id = ?",
                               [.text(newName), .text(UniqueName.fold(newName)), SQLValue(parentID), .integer(id)])
            return try Self.requireSegment(connection, id: id)
        }
    }

    /// Deletes a segment. One with sub-segments is always refused (delete or move them first); one
    /// chosen for customers is only deleted with `force`, which removes it from them.
    ///
    /// - Returns: the number of customers it was removed from.
    /// - Throws: `notFound`; `failedPrecondition` with sub-segments, or when in use and not forced.
    @discardableResult
    public func deleteSegment(id: Int64, force: Bool) throws -> Int64 {
        try write { connection in
            let segment = try Self.requireSegment(connection, id: id)
            let children = try connection.withStatement("SELECT count(*) FROM segments WHERE parent_id = ?") {
                try $0.bind(id, at: 1)
                return try $0.step() ? $0.int64(0) : 0
            }
            if children > 0 {
                throw StoreError.failedPrecondition("segment \(id) has \(children) sub-segment\(children == 1 ? "" : "s"): "
                    + "delete or move them first", field: "id")
            }
            if segment.customerCount > 0, !force {
                let customers = segment.customerCount == 1 ? "1 customer has" : "\(segment.customerCount) customers have"
                throw StoreError.failedPrecondition("\(customers) segment \(id) chosen: "
                    + "delete it with force=true to remove it from them", field: "force")
            }
            try connection.run("DELETE FROM customer_segments WHERE segment_id = ?", [.integer(id)])
            try connection.run("DELETE FROM segments WHERE id = ?", [.integer(id)])
            return segment.customerCount
        }
    }

    /// Every segment with its path, ordered by path (sub-segments right after their parent).
    public func segments() throws -> [StoredSegment] {
        try readOne { try SegmentTree.fetch($0, SegmentTree.all) }
    }

    /// The segments chosen for a customer, with paths, ordered by path. - Throws: `notFound` (customer).
    public func customerSegments(customerID: Int64) throws -> [StoredSegment] {
        try read { connection in
            try Self.requireWritableCustomer(connection, customerID: customerID)
            return try SegmentTree.ofCustomer(connection, customerID: customerID)
        }
    }

    /// Replaces the set of segments chosen for a customer (an empty list clears it). A real change
    /// is recorded in the customer's history as field `segments` (the paths, "; "-separated).
    ///
    /// - Returns: the customer's segments, ordered by path.
    /// - Throws: `notFound` (customer); `invalidArgument` on `segmentIds` (the request field) for more than
    ///   `maxSegmentsPerCustomer` distinct ids, or naming the unknown ids (the first 20);
    ///   `brokenRule` for an unknown acting user.
    public func setCustomerSegments(customerID: Int64, segmentIDs: [Int64], by author: Author) throws -> [StoredSegment] {
        let wanted = Array(Set(segmentIDs)).sorted()
        guard wanted.count <= Self.maxSegmentsPerCustomer else {
            throw StoreError.invalid("segmentIds", "at most \(Self.maxSegmentsPerCustomer) distinct segments, got \(wanted.count)")
        }
        return try write { connection in
            try Self.requireWritableCustomer(connection, customerID: customerID)
            let unknown = try wanted.filter { try SegmentTree.fetch(connection, SegmentTree.byID, key: $0).isEmpty }
            if !unknown.isEmpty {
                let more = unknown.count > Self.maxNamedUnknownSegments ? " and \(unknown.count - Self.maxNamedUnknownSegments) more" : ""
                throw StoreError.invalid("segmentIds", "no segment has id "
                    + unknown.prefix(Self.maxNamedUnknownSegments).map(String.init).joined(separator: ", ") + more)
            }
            try Self.requireActingUser(connection, author)
            let before = try SegmentTree.ofCustomer(connection, customerID: customerID)
            try connection.run("DELETE FROM customer_segments WHERE customer_id = ?", [.integer(customerID)])
            for segmentID in wanted {
                try connection.run("INSERT INTO customer_segments (customer_id, segment_id) VALUES (?, ?)",
                                   [.integer(customerID), .integer(segmentID)])
            }
            let after = try SegmentTree.ofCustomer(connection, customerID: customerID)
            let changes = HistoryLog.changes(from: [("segments", Self.historyText(before))],
                                             to: [("segments", Self.historyText(after))])
            if !changes.isEmpty {
                try HistoryLog.append(connection, .customer, id: customerID, customerID: customerID, .updated,
                                      at: nowMilliseconds(), by: author, changes: changes)
            }
            return after
        }
    }

    // MARK: Helpers

    private static func historyText(_ segments: [StoredSegment]) -> String? {
        segments.isEmpty ? nil : segments.map(\.displayPath).joined(separator: "; ")
    }

    private static func requireSegment(_ connection: SQLiteConnection, id: Int64) throws -> StoredSegment {
        guard let segment = try SegmentTree.fetch(connection, SegmentTree.byID, key: id).first else {
            throw StoreError.notFound("segment \(id) does not exist")
        }
        return segment
    }

    /// A trimmed name of 1-100 characters on one line (a line break would break paths apart).
    private static func validSegmentName(_ raw: String, field: String) throws -> String {
        try validName(raw, maxLength: maxSegmentName, field: field)
    }
}

/// Where `CustomerStore.updateSegment` puts a segment.
public enum SegmentPlacement: Sendable, Equatable {
    /// Where it is.
    case unchanged
    /// At the top level.
    case topLevel
    /// Under the segment with this id.
    case under(Int64)
}

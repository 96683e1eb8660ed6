import Foundation

/// A page of candidate duplicate customers.
public struct FindDuplicatesRequest: Codable, Sendable, Hashable {
    public static let defaultLimit = 100
    public static let maximumLimit = 1_000

    /// Pairs per page (1 to 1000, default 100); a page ends after the customer whose pairs reach
    /// it, so it may hold a few more.
    public var limit: Int32?
    /// The previous page's `nextPageToken`.
    public var pageToken: String?

    public init(limit: Int32? = nil, pageToken: String? = nil) {
        self.limit = limit
        self.pageToken = pageToken
    }

    enum CodingKeys: Int, CodingKey { case limit = 1, pageToken = 2 }
}

public struct FindDuplicatesResponse: Codable, Sendable, Hashable {
    /// In order of the pair's lower customer id; each pair once, with all its reasons.
    public var pairs: [DuplicatePair]
    /// Absent on the last page.
    public var nextPageToken: String?

    public init(pairs: [DuplicatePair], nextPageToken: String?) {
        self.pairs = pairs
        self.nextPageToken = nextPageToken
    }

    enum CodingKeys: Int, CodingKey { case pairs = 1, nextPageToken = 2 }
}

/// Two customers that may be one.
public struct DuplicatePair: Codable, Sendable, Hashable {
    /// The lower id.
    public var first: CustomerRef
    public var second: CustomerRef
    /// 0 to 100: the sum of the reasons' weights (sameVatNumber 70, sameName 40, sameDomain 25,
    /// samePhone 25), at most 100.
    public var score: Int32
    /// `sameVatNumber` (VAT number or business id in any spelling), `sameName` (equal after folding
    /// case, accents, punctuation and legal forms such as Oy, Ab, AS, GmbH, B.V., Ltd), `sameDomain`
    /// (email domain or website host; public mail services excluded), `samePhone` (in E.164).
    public var reasons: [String]

    public init(first: CustomerRef, second: CustomerRef, score: Int32, reasons: [String]) {
        self.first = first
        self.second = second
        self.score = score
        self.reasons = reasons
    }

    enum CodingKeys: Int, CodingKey { case first = 1, second = 2, score = 3, reasons = 4 }
}

/// A customer named in passing.
public struct CustomerRef: Codable, Sendable, Hashable {
    public var id: Int64
    public var number: Int64
    public var name: String

    public init(id: Int64, number: Int64, name: String) {
        self.id = id
        self.number = number
        self.name = name
    }

    enum CodingKeys: Int, CodingKey { case id = 1, number = 2, name = 3 }
}

/// Merges the customer `absorbId` into `keepId`.
public struct MergeCustomersRequest: Codable, Sendable, Hashable {
    /// The fields a merge fills on the kept customer when it lacks them: what `doNotFill` may name.
    public static let fillableFields = ["accountManager", "description", "vatNumber", "country", "industry", "email",
                                        "website", "phone"]

    public var keepId: Int64
    public var absorbId: Int64
    /// True: change nothing, answer what the merge would move, fill and resolve.
    public var dryRun: Bool?
    /// Fields the kept customer lacks that must NOT be filled from the absorbed one: any of
    /// accountManager, description, vatNumber, country, industry, email, website, phone.
    public var doNotFill: [String]

    public init(keepId: Int64, absorbId: Int64, dryRun: Bool? = nil, doNotFill: [String] = []) {
        self.keepId = keepId
        self.absorbId = absorbId
        self.dryRun = dryRun
        self.doNotFill = doNotFill
    }

    enum CodingKeys: Int, CodingKey { case keepId = 1, absorbId = 2, dryRun = 3, doNotFill = 4 }
}

public struct MergeCustomersResponse: Codable, Sendable, Hashable {
    /// True when nothing was written.
    public var dryRun: Bool
    /// The kept customer: after the merge, or as it is now on a dry run.
    public var kept: Customer
    public var absorbedId: Int64
    /// What moves (moved) to the kept customer, by kind; kinds with nothing are left out.
    public var moved: [MergedRecords]
    /// Fields the kept customer lacked, filled from the absorbed one (`newValue`).
    public var filled: [FieldChange]
    /// What both customers have and how the merge resolves it.
    public var conflicts: [MergeConflict]

    public init(dryRun: Bool, kept: Customer, absorbedId: Int64, moved: [MergedRecords], filled: [FieldChange],
                conflicts: [MergeConflict]) {
        self.dryRun = dryRun
        self.kept = kept
        self.absorbedId = absorbedId
        self.moved = moved
        self.filled = filled
        self.conflicts = conflicts
    }

    enum CodingKeys: Int, CodingKey {
        case dryRun = 1, kept = 2, absorbedId = 3, moved = 4, filled = 5, conflicts = 6
    }
}

/// The records of one kind that move.
public struct MergedRecords: Codable, Sendable, Hashable {
    /// addresses, contacts (with their keywords and roles), activities, salesCases, projects (with
    /// tasks, notes and forecasts), files, links, invoices (snapshots untouched), segments (segment
    /// ids), settings (the absorbed customer's id: its invoicing settings, when the kept has none).
    public var kind: String
    public var ids: [Int64]

    public init(kind: String, ids: [Int64]) {
        self.kind = kind
        self.ids = ids
    }

    enum CodingKeys: Int, CodingKey { case kind = 1, ids = 2 }
}

/// Something both customers have.
public struct MergeConflict: Codable, Sendable, Hashable {
    /// field (the kept value stays), headOffice (the kept one stays; the other becomes an ordinary
    /// address), settings (the kept invoicing settings stay), segment (one assignment stays), contact
    /// (a live contact of the same name on both: both move), forecast (projects of both have one for
    /// the month: each keeps its own).
    public var kind: String
    /// The field's name, "headOffice", the segment id, the contact's name or the month (YYYY-MM).
    public var subject: String
    /// The kept and the absorbed customer's value (a field's value, an address or contact id).
    public var kept: String?
    public var absorbed: String?

    public init(kind: String, subject: String, kept: String? = nil, absorbed: String? = nil) {
        self.kind = kind
        self.subject = subject
        self.kept = kept
        self.absorbed = absorbed
    }

    enum CodingKeys: Int, CodingKey { case kind = 1, subject = 2, kept = 3, absorbed = 4 }
}

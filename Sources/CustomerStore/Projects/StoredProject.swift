import Foundation

/// Whether a row of the sales-and-projects tab is still a sales case or already a project.
public enum ProjectKind: String, Sendable, Hashable, CaseIterable {
    case salesCase, project
}

/// How a sales case ended, or that it is still open. A won sales case is a project from then on.
public enum ProjectOutcome: String, Sendable, Hashable, CaseIterable {
    case open, won, lost
}

/// Whether a project is running.
public enum ProjectStatus: String, Sendable, Hashable, CaseIterable {
    case open, closed
}

/// A sales case (a project not yet won) or a project of a customer.
///
/// Dates are 'YYYY-MM-DD' text (a calendar day, no time zone); money is an exact `Decimal` with its
/// ISO 4217 currency code beside it.
public struct StoredProject: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64
    public var kind: ProjectKind
    public var name: String
    // Sales case fields (kept, read-only, on a won project).
    public var stage: String?
    /// 0...100 (per cent).
    public var probability: Int?
    public var expectedValue: Decimal?
    public var expectedCurrency: String?
    public var expectedClose: String?
    /// Open or lost for a sales case, won for a project that was one; nil for a project created as such.
    public var outcome: ProjectOutcome?
    /// Set exactly when the outcome is lost.
    public var lostReason: String?
    // Project fields (nil on a sales case).
    /// Unique; assigned from 1001 upward when not given.
    public var number: Int64?
    public var status: ProjectStatus?
    public var manager: StoredUserRef?
    public var startsOn: String?
    public var endsOn: String?
    public var currency: String?
    /// Starts at 1; +1 on every write. Pass it back as `expectedVersion` to refuse lost updates.
    public var version: Int64
    public var createdAt: Date
    public var createdBy: StoredUserRef
    public var updatedAt: Date
    public var updatedBy: StoredUserRef

    public init(id: Int64, customerID: Int64, kind: ProjectKind, name: String, stage: String? = nil,
                probability: Int? = nil, expectedValue: Decimal? = nil, expectedCurrency: String? = nil,
                expectedClose: String? = nil, outcome: ProjectOutcome? = nil, lostReason: String? = nil,
                number: Int64? = nil, status: ProjectStatus? = nil, manager: StoredUserRef? = nil, startsOn: String? = nil,
                endsOn: String? = nil, currency: String? = nil, version: Int64, createdAt: Date, createdBy: StoredUserRef,
                updatedAt: Date, updatedBy: StoredUserRef) {
        self.id = id
        self.customerID = customerID
        self.kind = kind
        self.name = name
        self.stage = stage
        self.probability = probability
        self.expectedValue = expectedValue
        self.expectedCurrency = expectedCurrency
        self.expectedClose = expectedClose
        self.outcome = outcome
        self.lostReason = lostReason
        self.number = number
        self.status = status
        self.manager = manager
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.currency = currency
        self.version = version
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

/// Which of a customer's sales cases and projects to list.
public enum ProjectFilter: String, Sendable, Hashable, CaseIterable {
    case all
    case salesCases
    case projects
    /// Open projects and open sales cases.
    case open
    /// Closed projects and lost sales cases (a won sales case is a project, open or closed by its status).
    case closed
}

/// The card's sales-and-projects tab.
public struct SalesAndProjects: Sendable, Hashable {
    /// Open and lost sales cases, newest first.
    public var salesCases: [StoredProject]
    /// Projects (including won sales cases), newest first.
    public var projects: [StoredProject]

    public init(salesCases: [StoredProject], projects: [StoredProject]) {
        self.salesCases = salesCases
        self.projects = projects
    }
}

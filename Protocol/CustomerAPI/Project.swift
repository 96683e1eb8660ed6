import Foundation

/// A sales case (not yet won) or a project of a customer. Winning a sales case turns the same
/// record into a project: it keeps its id and its history.
public struct Project: Codable, Sendable, Hashable {
    public enum Kind: Int, Codable, Sendable, CaseIterable { case salesCase = 0, project = 1 }
    public enum Outcome: Int, Codable, Sendable, CaseIterable { case open = 0, won = 1, lost = 2 }
    public enum Status: Int, Codable, Sendable, CaseIterable { case open = 0, closed = 1 }

    public var id: Int64
    public var customerId: Int64
    public var kind: Kind
    public var name: String
    // Sales case
    public var stage: String?
    /// 0...100.
    public var probability: Int32?
    /// Exact money; absent when hidden from the caller (see `moneyHidden`).
    public var expectedValue: Decimal?
    public var expectedCurrency: String?
    /// YYYY-MM-DD.
    public var expectedClose: String?
    public var outcome: Outcome?
    public var lostReason: String?
    // Project
    public var number: Int64?
    public var status: Status?
    public var manager: UserRef?
    /// YYYY-MM-DD.
    public var startsOn: String?
    public var endsOn: String?
    /// ISO 4217.
    public var currency: String?
    public var version: Int64
    public var createdAt: Date
    public var createdBy: UserRef
    public var updatedAt: Date
    public var updatedBy: UserRef
    /// True when the caller may not see financial figures: the money fields are then absent, not zero.
    public var moneyHidden: Bool?

    public init(
        id: Int64, customerId: Int64, kind: Kind, name: String, stage: String? = nil, probability: Int32? = nil,
        expectedValue: Decimal? = nil, expectedCurrency: String? = nil, expectedClose: String? = nil,
        outcome: Outcome? = nil, lostReason: String? = nil, number: Int64? = nil, status: Status? = nil,
        manager: UserRef? = nil, startsOn: String? = nil, endsOn: String? = nil, currency: String? = nil,
        version: Int64, createdAt: Date, createdBy: UserRef, updatedAt: Date, updatedBy: UserRef, moneyHidden: Bool? = nil
    ) {
        self.id = id
        self.customerId = customerId
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
        self.moneyHidden = moneyHidden
    }

    enum CodingKeys: Int, CodingKey {
        case id = 1, customerId = 2, kind = 3, name = 4, stage = 5, probability = 6, expectedValue = 7
        case expectedCurrency = 8, expectedClose = 9, outcome = 10, lostReason = 11, number = 12, status = 13
        case manager = 14, startsOn = 15, endsOn = 16, currency = 17, version = 18, createdAt = 19, createdBy = 20
        case updatedAt = 21, updatedBy = 22, moneyHidden = 23
    }
}

/// The editable fields of a sales case or project: `nil` = not given; "" clears an optional text.
/// Fields that do not belong to the record's kind are refused by name.
public struct ProjectFields: Codable, Sendable, Hashable {
    public var name: String?
    public var stage: String?
    public var probability: Int32?
    public var expectedValue: Decimal?
    public var expectedCurrency: String?
    public var expectedClose: String?
    public var number: Int64?
    public var status: Project.Status?
    /// A user name.
    public var manager: String?
    public var startsOn: String?
    public var endsOn: String?
    public var currency: String?

    public init(
        name: String? = nil, stage: String? = nil, probability: Int32? = nil, expectedValue: Decimal? = nil,
        expectedCurrency: String? = nil, expectedClose: String? = nil, number: Int64? = nil,
        status: Project.Status? = nil, manager: String? = nil, startsOn: String? = nil, endsOn: String? = nil,
        currency: String? = nil
    ) {
        self.name = name
        self.stage = stage
        self.probability = probability
        self.expectedValue = expectedValue
        self.expectedCurrency = expectedCurrency
        self.expectedClose = expectedClose
        self.number = number
        self.status = status
        self.manager = manager
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.currency = currency
    }

    public var isEmpty: Bool { self == ProjectFields() }

    enum CodingKeys: Int, CodingKey {
        case name = 1, stage = 2, probability = 3, expectedValue = 4, expectedCurrency = 5, expectedClose = 6
        case number = 7, status = 8, manager = 9, startsOn = 10, endsOn = 11, currency = 12
    }
}

public struct CreateProjectRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    public var kind: Project.Kind
    public var fields: ProjectFields

    public init(customerId: Int64, kind: Project.Kind, fields: ProjectFields) {
        self.customerId = customerId
        self.kind = kind
        self.fields = fields
    }

    enum CodingKeys: Int, CodingKey { case customerId = 1, kind = 2, fields = 3 }
}

public struct UpdateProjectRequest: Codable, Sendable, Hashable {
    public var id: Int64
    public var expectedVersion: Int64?
    public var fields: ProjectFields

    public init(id: Int64, expectedVersion: Int64? = nil, fields: ProjectFields) {
        self.id = id
        self.expectedVersion = expectedVersion
        self.fields = fields
    }

    enum CodingKeys: Int, CodingKey { case id = 1, expectedVersion = 2, fields = 3 }
}

/// Names one project or sales case.
public struct ProjectIDRequest: Codable, Sendable, Hashable {
    public var id: Int64

    public init(id: Int64) { self.id = id }

    enum CodingKeys: Int, CodingKey { case id = 1 }
}

public struct ListProjectsRequest: Codable, Sendable, Hashable {
    public enum Filter: Int, Codable, Sendable, CaseIterable {
        /// Open: open projects and open sales cases. Closed: closed projects and lost sales cases.
        case all = 0, salesCases = 1, projects = 2, open = 3, closed = 4
    }

    public var customerId: Int64
    public var filter: Filter?

    public init(customerId: Int64, filter: Filter? = nil) {
        self.customerId = customerId
        self.filter = filter
    }

    enum CodingKeys: Int, CodingKey { case customerId = 1, filter = 2 }
}

public struct ProjectList: Codable, Sendable, Hashable {
    public var projects: [Project]

    public init(projects: [Project]) { self.projects = projects }

    enum CodingKeys: Int, CodingKey { case projects = 1 }
}

/// Wins a sales case: it becomes a project (same id), with these project fields.
public struct WinSalesCaseRequest: Codable, Sendable, Hashable {
    public var id: Int64
    public var fields: ProjectFields

    public init(id: Int64, fields: ProjectFields = ProjectFields()) {
        self.id = id
        self.fields = fields
    }

    enum CodingKeys: Int, CodingKey { case id = 1, fields = 2 }
}

public struct LoseSalesCaseRequest: Codable, Sendable, Hashable {
    public var id: Int64
    public var reason: String

    public init(id: Int64, reason: String) {
        self.id = id
        self.reason = reason
    }

    enum CodingKeys: Int, CodingKey { case id = 1, reason = 2 }
}

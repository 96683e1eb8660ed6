import Foundation

/// The input of `createSalesCase` and `createProject`. `nil` means "not given".
///
/// Sales case fields: `stage`, `probability`, `expectedValue`, `expectedCurrency`, `expectedClose`.
/// Project fields: `number`, `status`, `managerID`, `startsOn`, `endsOn`, `currency`. Giving a field
/// of the other kind is refused with `invalidArgument` naming it.
public struct StoredProjectFields: Sendable, Hashable {
    public var name: String
    public var stage: String?
    public var probability: Int?
    public var expectedValue: Decimal?
    public var expectedCurrency: String?
    /// 'YYYY-MM-DD'.
    public var expectedClose: String?
    /// `nil`: the next number from the sequence (1001 upward).
    public var number: Int64?
    /// `nil`: open.
    public var status: ProjectStatus?
    public var managerID: Int64?
    public var startsOn: String?
    public var endsOn: String?
    public var currency: String?

    public init(name: String, stage: String? = nil, probability: Int? = nil, expectedValue: Decimal? = nil,
                expectedCurrency: String? = nil, expectedClose: String? = nil, number: Int64? = nil,
                status: ProjectStatus? = nil, managerID: Int64? = nil, startsOn: String? = nil, endsOn: String? = nil,
                currency: String? = nil) {
        self.name = name
        self.stage = stage
        self.probability = probability
        self.expectedValue = expectedValue
        self.expectedCurrency = expectedCurrency
        self.expectedClose = expectedClose
        self.number = number
        self.status = status
        self.managerID = managerID
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.currency = currency
    }
}

/// The input of `updateProject` and of `winSalesCase`'s project fields: `nil` leaves a field
/// unchanged; an empty (or blank) string clears an optional text field; `.some(nil)` clears the
/// others. The name cannot be cleared. Fields of the other kind are refused, as in `ProjectFields`.
public struct ProjectChanges: Sendable, Hashable {
    public var name: String?
    public var stage: String?
    public var probability: Int??
    public var expectedValue: Decimal??
    public var expectedCurrency: String?
    public var expectedClose: String?
    public var number: Int64?
    public var status: ProjectStatus?
    public var managerID: Int64??
    public var startsOn: String?
    public var endsOn: String?
    public var currency: String?

    public init(name: String? = nil, stage: String? = nil, probability: Int?? = nil, expectedValue: Decimal?? = nil,
                expectedCurrency: String? = nil, expectedClose: String? = nil, number: Int64? = nil,
                status: ProjectStatus? = nil, managerID: Int64?? = nil, startsOn: String? = nil, endsOn: String? = nil,
                currency: String? = nil) {
        self.name = name
        self.stage = stage
        self.probability = probability
        self.expectedValue = expectedValue
        self.expectedCurrency = expectedCurrency
        self.expectedClose = expectedClose
        self.number = number
        self.status = status
        self.managerID = managerID
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.currency = currency
    }
}

extension ProjectChanges {
    /// The changes that create a record with `fields` on top of empty columns.
    init(_ fields: StoredProjectFields) {
        self.init(name: fields.name, stage: fields.stage, probability: fields.probability.map { .some($0) },
                  expectedValue: fields.expectedValue.map { .some($0) }, expectedCurrency: fields.expectedCurrency,
                  expectedClose: fields.expectedClose, number: fields.number, status: fields.status,
                  managerID: fields.managerID.map { .some($0) }, startsOn: fields.startsOn, endsOn: fields.endsOn,
                  currency: fields.currency)
    }
}

import Foundation
import SQLiteEngine

/// The writable columns of a sales case or project after validation and normalisation.
struct ProjectColumns: Sendable, Hashable {
    var name = ""
    var stage: String?
    var probability: Int?
    var expectedValue: Decimal?
    var expectedCurrency: String?
    var expectedClose: String?
    var number: Int64?
    var status: ProjectStatus?
    var managerID: Int64?
    var startsOn: String?
    var endsOn: String?
    var currency: String?

    /// The bound values of `name` ... `currency` (without kind and outcome), in table order.
    var values: [SQLValue] {
        [.text(name), SQLValue(stage), SQLValue(probability.map(Int64.init)),
         SQLValue(expectedValue.map(DecimalText.text)), SQLValue(expectedCurrency), SQLValue(expectedClose),
         SQLValue(number), SQLValue(status?.rawValue), SQLValue(managerID), SQLValue(startsOn), SQLValue(endsOn),
         SQLValue(currency)]
    }
}

extension ProjectColumns {
    /// The columns of a stored record.
    init(_ project: StoredProject) {
        self.init(name: project.name, stage: project.stage, probability: project.probability,
                  expectedValue: project.expectedValue, expectedCurrency: project.expectedCurrency,
                  expectedClose: project.expectedClose, number: project.number, status: project.status,
                  managerID: project.manager?.id, startsOn: project.startsOn, endsOn: project.endsOn,
                  currency: project.currency)
    }
}

/// The one place sales case and project input is checked; reports every violation at once with API field names.
enum ProjectValidator {
    static let maxName = 200
    static let maxStage = 50
    static let maxLostReason = 1_000

    /// The fields only a sales case has, and those only a project has, by API name.
    private static let salesCaseFields = ["stage", "probability", "expectedValue", "expectedCurrency", "expectedClose"]
    private static let projectFields = ["number", "status", "manager", "startsOn", "endsOn", "currency"]

    /// Validates `changes` for a record of `kind` on top of `current` (empty columns for a new one).
    /// A project without a status gets `open`. The store adds the checks that need the database (manager exists).
    static func apply(_ changes: ProjectChanges, kind: ProjectKind,
                      onto current: ProjectColumns) -> (ProjectColumns, [FieldViolation]) {
        var violations = wrongKind(changes, kind: kind)
        var columns = current
        if let name = changes.name {
            let (trimmed, violation) = TextInput.required(name, field: "name", maxLength: maxName)
            if let violation { violations.append(violation) }
            columns.name = trimmed
        }
        CustomerValidator.normalise(changes.stage, field: "stage", maxLength: maxStage,
                                    &columns.stage, &violations)
        if let probability = changes.probability {
            if let value = probability, !(0...100).contains(value) {
                violations.append(FieldViolation(field: "probability", reason: "must be 0 to 100"))
            }
            columns.probability = probability
        }
        if let expectedValue = changes.expectedValue {
            if let value = expectedValue, let violation = DecimalText.violation(value, field: "expectedValue") {
                violations.append(violation)
            }
            columns.expectedValue = expectedValue
        }
        CustomerValidator.normalise(changes.expectedCurrency, field: "expectedCurrency", CurrencyCodes.check,
                                    &columns.expectedCurrency, &violations)
        CustomerValidator.normalise(changes.expectedClose, field: "expectedClose", CalendarText.day,
                                    &columns.expectedClose, &violations)
        if let number = changes.number {
            // Bounded as customer numbers are: the sequence follows a given number, and one near
            // Int64.max would leave automatic numbering nowhere to go.
            if !CustomerNumber.range.contains(number) {
                violations.append(FieldViolation(field: "number", reason: CustomerNumber.rangeReason))
            }
            columns.number = number
        }
        if let status = changes.status { columns.status = status }
        if kind == .project, columns.status == nil { columns.status = .open }
        if let manager = changes.managerID { columns.managerID = manager }
        CustomerValidator.normalise(changes.startsOn, field: "startsOn", CalendarText.day, &columns.startsOn,
                                    &violations)
        CustomerValidator.normalise(changes.endsOn, field: "endsOn", CalendarText.day, &columns.endsOn,
                                    &violations)
        if let starts = columns.startsOn, let ends = columns.endsOn, ends < starts,
           !violations.contains(where: { $0.field == "startsOn" || $0.field == "endsOn" }) {
            violations.append(FieldViolation(field: "endsOn", reason: "must not be before startsOn"))
        }
        CustomerValidator.normalise(changes.currency, field: "currency", CurrencyCodes.check, &columns.currency,
                                    &violations)
        return (columns, violations)
    }

    /// A lost sales case's reason: trimmed, 1 to `maxLostReason` characters, several lines allowed.
    static func lostReason(_ raw: String) -> (String, [FieldViolation]) {
        let (trimmed, violation) = TextInput.required(raw, field: "reason", maxLength: maxLostReason, lines: .multiple)
        return (trimmed, violation.map { [$0] } ?? [])
    }

    /// One violation per given field that a record of `kind` does not have.
    private static func wrongKind(_ changes: ProjectChanges, kind: ProjectKind) -> [FieldViolation] {
        let given: [String: Bool] = [
            "stage": changes.stage != nil, "probability": changes.probability != nil,
            "expectedValue": changes.expectedValue != nil, "expectedCurrency": changes.expectedCurrency != nil,
            "expectedClose": changes.expectedClose != nil, "number": changes.number != nil,
            "status": changes.status != nil, "manager": changes.managerID != nil,
            "startsOn": changes.startsOn != nil, "endsOn": changes.endsOn != nil, "currency": changes.currency != nil,
        ]
        let (foreign, reason) = kind == .salesCase
            ? (projectFields, "is a project field: a sales case does not have it (win the sales case first)")
            : (salesCaseFields, "is a sales case field: a project does not have it")
        return foreign.filter { given[$0] == true }.map { FieldViolation(field: $0, reason: reason) }
    }
}

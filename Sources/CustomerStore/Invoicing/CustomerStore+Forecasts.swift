import Foundation
import SQLiteEngine

extension CustomerStore {
    /// Sets a project's forecast for one month (insert or replace), in the project's currency
    /// unless `currency` is given. The change is recorded on the project's history (action
    /// `forecastSet`, fields `forecast.YYYY-MM.revenue`, ...). Setting it to what it is writes nothing.
    ///
    /// - Throws: `notFound` (project); `failedPrecondition` for a sales case (win it first);
    ///   `invalidArgument` on `month`, the amounts (not negative, at most 4 decimals) and `currency`
    ///   (required when the project has none).
    public func setForecast(projectID: Int64, month: String, revenue: Decimal, cost: Decimal, billing: Decimal,
                            hours: Decimal, currency: String? = nil, by author: Author) throws -> StoredForecast {
        var violations: [FieldViolation] = []
        let month = Self.forecastMonth(month, violations: &violations)
        violations += [(revenue, "revenue"), (cost, "cost"), (billing, "billing"), (hours, "hours")]
            .compactMap { DecimalText.violation($0.0, field: $0.1) }
        var currencyCode: String?
        CustomerValidator.normalise(currency, field: "currency", CurrencyCodes.check, &currencyCode, &violations)
        return try write { connection in
            let project = try forecastProject(connection, id: projectID)
            guard let currency = currencyCode ?? project.currency else {
                violations.append(FieldViolation(field: "currency", reason: "is required: project \(projectID) has no currency"))
                throw StoreError.invalidArgument(violations)
            }
            if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
            try Self.requireActingUser(connection, author)
            let before = try ForecastRow.fetch(connection, projectID: projectID, month: month)
            // The month's forecast as it is already: nothing written, no entry (as an update that changes nothing).
            if let before, HistoryLog.isUnchanged(
                from: Self.historyValues(before, month),
                to: Self.historyValues(StoredForecast(projectID: projectID, month: month, revenue: revenue, cost: cost,
                                                      billing: billing, hours: hours, currency: currency,
                                                      updatedAt: before.updatedAt, updatedBy: before.updatedBy), month)) {
                return before
            }
            let now = nowMilliseconds()
            try connection.run("""
                INSERT INTO forecasts (project_id, month, revenue, cost, billing, hours, currency, updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (project_id, month) DO UPDATE SET revenue = excluded.revenue, cost = excluded.cost,
                    billing = excluded.billing, hours = excluded.hours, currency = excluded.currency,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """, [.integer(projectID), .text(month)] + [revenue, cost, billing, hours].map { .text(DecimalText.text($0)) }
                    + [.text(currency), .integer(now), .integer(author.userID)])
            guard let after = try ForecastRow.fetch(connection, projectID: projectID, month: month) else {
                throw StoreError.notFound("project \(projectID) has no forecast for \(month)", field: "month")
            }
            try HistoryLog.append(connection, .project, id: projectID, customerID: project.customerID, .forecastSet,
                                  at: now, by: author, changes: HistoryLog.changes(from: Self.historyValues(before, month),
                                                                                   to: Self.historyValues(after, month)))
            return after
        }
    }

    /// Removes a project's forecast for one month (recorded as `forecastRemoved` on the project).
    /// - Throws: `notFound` (project, or no forecast for that month); `invalidArgument` on `month`.
    public func removeForecast(projectID: Int64, month: String, by author: Author) throws {
        var violations: [FieldViolation] = []
        let month = Self.forecastMonth(month, violations: &violations)
        if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
        try write { connection in
            let project = try requireWritableProject(connection, id: projectID, field: "projectId")
            try Self.requireActingUser(connection, author)
            guard let before = try ForecastRow.fetch(connection, projectID: projectID, month: month) else {
                throw StoreError.notFound("project \(projectID) has no forecast for \(month)", field: "month")
            }
            try connection.run("DELETE FROM forecasts WHERE project_id = ? AND month = ?",
                               [.integer(projectID), .text(month)])
            try HistoryLog.append(connection, .project, id: projectID, customerID: project.customerID, .forecastRemoved,
                                  at: nowMilliseconds(), by: author,
                                  changes: HistoryLog.changes(from: Self.historyValues(before, month),
                                                              to: Self.historyValues(nil, month)))
        }
    }

    /// A project's forecasts by month. - Throws: `notFound` (project).
    public func forecasts(projectID: Int64) throws -> [StoredForecast] {
        try read { connection in
            _ = try requireProject(connection, id: projectID, field: "projectId")
            return try ForecastRow.fetchAll(connection, projectID: projectID)
        }
    }

    /// The card's financial tab: the forecasts of the customer's projects from month `from` to month
    /// `to` (both 'YYYY-MM', inclusive; nil: unbounded), added up exactly per currency and month,
    /// with margin and margin % (see `FinancialFigures`). Currencies are never mixed. One query.
    ///
    /// - Throws: `notFound` (customer); `invalidArgument` on `from` / `to` (format, or `to` before `from`).
    public func financialSummary(customerID: Int64, from: String? = nil, to: String? = nil) throws -> FinancialSummary {
        let bounds = try Self.summaryMonths(from: from, to: to)
        return try read { connection in
            try Self.requireWritableCustomer(connection, customerID: customerID)
            return try ForecastRow.summary(connection, customerID: customerID, from: bounds.from, to: bounds.to)
        }
    }

    // MARK: Helpers

    /// The months a financial summary covers (the summary's and the card's financial tab's), each
    /// 'YYYY-MM' of the years 1000-9999 or nil (absent or blank: unbounded).
    /// - Throws: `invalidArgument` on `from` / `to` (format, or `to` before `from`).
    static func summaryMonths(from: String?, to: String?) throws -> (from: String?, to: String?) {
        var violations: [FieldViolation] = []
        var bounds: (from: String?, to: String?)
        CustomerValidator.normalise(from, field: "from", CalendarText.month, &bounds.from, &violations)
        CustomerValidator.normalise(to, field: "to", CalendarText.month, &bounds.to, &violations)
        if let first = bounds.from, let last = bounds.to, last < first {
            violations.append(FieldViolation(field: "to", reason: "must not be before from"))
        }
        if !violations.isEmpty { throw StoreError.invalidArgument(violations) }
        return bounds
    }

    private static func forecastMonth(_ raw: String, violations: inout [FieldViolation]) -> String {
        var month: String?
        let before = violations.count
        CustomerValidator.normalise(raw, field: "month", CalendarText.month, &month, &violations)
        if month == nil, violations.count == before {
            violations.append(FieldViolation(field: "month", reason: "must be a month written YYYY-MM"))
        }
        return month ?? ""
    }

    /// Forecasts belong to projects: a sales case is won first.
    private func forecastProject(_ connection: SQLiteConnection, id: Int64) throws -> StoredProject {
        let project = try requireWritableProject(connection, id: id, field: "projectId")
        guard project.kind == .project else {
            throw StoreError.failedPrecondition("project \(id) is a sales case: win it before forecasting", field: "projectId")
        }
        return project
    }

    /// A forecast's fields for the project's history, named `forecast.<month>.<field>`.
    private static func historyValues(_ forecast: StoredForecast?, _ month: String) -> HistoryLog.Values {
        let amounts = [("revenue", forecast?.revenue), ("cost", forecast?.cost), ("billing", forecast?.billing),
                       ("hours", forecast?.hours)]
        return amounts.map { ("forecast.\(month).\($0.0)", $0.1.map(DecimalText.text)) }
            + [("forecast.\(month).currency", forecast?.currency)]
    }
}

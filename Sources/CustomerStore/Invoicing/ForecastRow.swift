import Foundation
import SQLiteEngine

/// The SELECTs that read forecasts (the updater's name through ``UserNames``), and the exact
/// adding-up of the financial tab.
enum ForecastRow {
    private static let select = """
        SELECT f.project_id, f.month, f.revenue, f.cost, f.billing, f.hours, f.currency, f.updated_at, f.updated_by
        FROM forecasts f
        """
    private static let byProject = select + " WHERE f.project_id = ? ORDER BY f.month"
    private static let byKey = select + " WHERE f.project_id = ? AND f.month = ?"
    /// The forecasts of every project of customer `?1` in months `?2` to `?3`: one index range scan
    /// per project (primary key project_id, month), in the order they are added up.
    private static let byCustomer = """
        SELECT f.currency, f.month, f.revenue, f.cost, f.billing, f.hours
        FROM projects p JOIN forecasts f ON f.project_id = p.id
        WHERE p.customer_id = ?1 AND f.month BETWEEN ?2 AND ?3
        ORDER BY f.currency, f.month
        """

    private static func decode(_ statement: SQLiteStatement, users: UserNames) throws -> StoredForecast {
        StoredForecast(projectID: try statement.int64("project_id"), month: try statement.text("month"),
                 revenue: try amount(statement, "revenue"), cost: try amount(statement, "cost"),
                 billing: try amount(statement, "billing"), hours: try amount(statement, "hours"),
                 currency: try statement.text("currency"), updatedAt: .init(milliseconds: try statement.int64("updated_at")),
                 updatedBy: try users.ref(statement, "updated_by"))
    }

    /// A stored amount; the store only writes text `DecimalText` made, so 0 stands for nothing that occurs.
    private static func amount(_ statement: SQLiteStatement, _ column: String) throws -> Decimal {
        DecimalText.value(try statement.text(column)) ?? 0
    }

    /// A project's forecasts by month.
    static func fetchAll(_ connection: SQLiteConnection, projectID: Int64) throws -> [StoredForecast] {
        let users = UserNames(connection)
        return try connection.withStatement(byProject) { statement in
            try statement.bind(projectID, at: 1)
            var forecasts: [StoredForecast] = []
            while try statement.step() { forecasts.append(try decode(statement, users: users)) }
            return forecasts
        }
    }

    /// One project's forecast of one month, or nil.
    static func fetch(_ connection: SQLiteConnection, projectID: Int64, month: String) throws -> StoredForecast? {
        let users = UserNames(connection)
        return try connection.withStatement(byKey) { statement in
            try statement.bind([.integer(projectID), .text(month)])
            return try statement.step() ? try decode(statement, users: users) : nil
        }
    }

    /// The financial tab: ONE query, added up in `Decimal` per currency and month (never across currencies).
    static func summary(_ connection: SQLiteConnection, customerID: Int64, from: String?,
                        to: String?) throws -> FinancialSummary {
        try connection.withStatement(byCustomer) { statement in
            // Month text sorts in time order, so these bounds include every valid month.
            try statement.bind([.integer(customerID), .text(from ?? "0000-00"), .text(to ?? "9999-99")])
            var currencies: [StoredCurrencySummary] = []
            var months: [StoredMonthFigures] = []
            var month = Sums()
            var total = Sums()
            var current: (currency: String, month: String)?
            func closeMonth() {
                if let current { months.append(StoredMonthFigures(month: current.month, figures: month.figures)) }
                month = Sums()
            }
            func closeCurrency() {
                closeMonth()
                if let current { currencies.append(StoredCurrencySummary(currency: current.currency, months: months,
                                                                   total: total.figures)) }
                months = []
                total = Sums()
            }
            while try statement.step() {
                let row = (currency: try statement.text("currency"), month: try statement.text("month"))
                if row.currency != current?.currency {
                    closeCurrency()
                } else if row.month != current?.month {
                    closeMonth()
                }
                current = row
                let amounts = Sums(revenue: try amount(statement, "revenue"), cost: try amount(statement, "cost"),
                                   billing: try amount(statement, "billing"), hours: try amount(statement, "hours"))
                month.add(amounts)
                total.add(amounts)
            }
            closeCurrency()
            return FinancialSummary(from: from, to: to, currencies: currencies)
        }
    }
}

/// Running exact sums of forecast amounts.
private struct Sums {
    var revenue: Decimal = 0
    var cost: Decimal = 0
    var billing: Decimal = 0
    var hours: Decimal = 0

    mutating func add(_ other: Sums) {
        revenue += other.revenue
        cost += other.cost
        billing += other.billing
        hours += other.hours
    }

    /// The figures with margin and margin %: rounded half away from zero (`.plain`) to 2 decimals.
    var figures: FinancialFigures {
        let margin = revenue - cost
        var percent: Decimal?
        if revenue != 0 {
            var exact = margin / revenue * 100
            var rounded = Decimal()
            NSDecimalRound(&rounded, &exact, 2, .plain)
            percent = rounded
        }
        return FinancialFigures(revenue: revenue, cost: cost, billing: billing, hours: hours, margin: margin,
                                marginPercent: percent)
    }
}

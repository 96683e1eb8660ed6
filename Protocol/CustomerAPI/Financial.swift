import Foundation

/// One project's forecast for one month. Money is exact (Decimal) in the project's currency.
public struct Forecast: Codable, Sendable, Hashable {
    public var projectId: Int64
    /// YYYY-MM.
    public var month: String
    public var revenue: Decimal
    public var cost: Decimal
    public var billing: Decimal
    public var hours: Decimal
    public var currency: String

    public init(projectId: Int64, month: String, revenue: Decimal, cost: Decimal, billing: Decimal, hours: Decimal, currency: String) {
        self.projectId = projectId
        self.month = month
        self.revenue = revenue
        self.cost = cost
        self.billing = billing
        self.hours = hours
        self.currency = currency
    }

    enum CodingKeys: Int, CodingKey { case projectId = 1, month = 2, revenue = 3, cost = 4, billing = 5, hours = 6, currency = 7 }
}

/// Sets (creates or replaces) a project's forecast for a month.
public struct SetForecastRequest: Codable, Sendable, Hashable {
    public var projectId: Int64
    public var month: String
    public var revenue: Decimal
    public var cost: Decimal
    public var billing: Decimal
    public var hours: Decimal

    public init(projectId: Int64, month: String, revenue: Decimal, cost: Decimal, billing: Decimal, hours: Decimal) {
        self.projectId = projectId
        self.month = month
        self.revenue = revenue
        self.cost = cost
        self.billing = billing
        self.hours = hours
    }

    enum CodingKeys: Int, CodingKey { case projectId = 1, month = 2, revenue = 3, cost = 4, billing = 5, hours = 6 }
}

public struct ForecastMonthRequest: Codable, Sendable, Hashable {
    public var projectId: Int64
    public var month: String

    public init(projectId: Int64, month: String) {
        self.projectId = projectId
        self.month = month
    }

    enum CodingKeys: Int, CodingKey { case projectId = 1, month = 2 }
}

public struct ForecastList: Codable, Sendable, Hashable {
    public var forecasts: [Forecast]

    public init(forecasts: [Forecast]) { self.forecasts = forecasts }

    enum CodingKeys: Int, CodingKey { case forecasts = 1 }
}

/// Revenue, cost, billing, hours and margin for one month (or, without `month`, a total).
public struct MonthFigures: Codable, Sendable, Hashable {
    public var month: String?
    public var revenue: Decimal
    public var cost: Decimal
    public var billing: Decimal
    public var hours: Decimal
    /// revenue - cost.
    public var margin: Decimal
    /// margin / revenue x 100, rounded to 2 decimals; absent when revenue is zero.
    public var marginPercent: Decimal?

    public init(month: String?, revenue: Decimal, cost: Decimal, billing: Decimal, hours: Decimal, margin: Decimal, marginPercent: Decimal?) {
        self.month = month
        self.revenue = revenue
        self.cost = cost
        self.billing = billing
        self.hours = hours
        self.margin = margin
        self.marginPercent = marginPercent
    }

    enum CodingKeys: Int, CodingKey {
        case month = 1, revenue = 2, cost = 3, billing = 4, hours = 5, margin = 6, marginPercent = 7
    }
}

/// One currency's figures: currencies are never added together.
public struct CurrencySummary: Codable, Sendable, Hashable {
    public var currency: String
    public var months: [MonthFigures]
    public var total: MonthFigures

    public init(currency: String, months: [MonthFigures], total: MonthFigures) {
        self.currency = currency
        self.months = months
        self.total = total
    }

    enum CodingKeys: Int, CodingKey { case currency = 1, months = 2, total = 3 }
}

public struct GetFinancialSummaryRequest: Codable, Sendable, Hashable {
    public var customerId: Int64
    /// YYYY-MM, inclusive; default: from the first month with a forecast.
    public var from: String?
    public var to: String?

    public init(customerId: Int64, from: String? = nil, to: String? = nil) {
        self.customerId = customerId
        self.from = from
        self.to = to
    }

    enum CodingKeys: Int, CodingKey { case customerId = 1, from = 2, to = 3 }
}

/// The financial tab: only months with forecasts are listed.
public struct FinancialTab: Codable, Sendable, Hashable {
    /// The period asked for; absent when unbounded.
    public var from: String?
    public var to: String?
    public var currencies: [CurrencySummary]

    public init(from: String?, to: String?, currencies: [CurrencySummary]) {
        self.from = from
        self.to = to
        self.currencies = currencies
    }

    enum CodingKeys: Int, CodingKey { case from = 1, to = 2, currencies = 3 }
}

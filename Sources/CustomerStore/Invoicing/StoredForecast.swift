import Foundation

/// A project's forecast for one month. Money and hours are exact decimals.
public struct StoredForecast: Sendable, Hashable {
    public var projectID: Int64
    /// 'YYYY-MM'.
    public var month: String
    public var revenue: Decimal
    public var cost: Decimal
    public var billing: Decimal
    public var hours: Decimal
    /// ISO 4217: the project's currency unless another was given.
    public var currency: String
    public var updatedAt: Date
    public var updatedBy: StoredUserRef

    public init(projectID: Int64, month: String, revenue: Decimal, cost: Decimal, billing: Decimal, hours: Decimal,
                currency: String, updatedAt: Date, updatedBy: StoredUserRef) {
        self.projectID = projectID
        self.month = month
        self.revenue = revenue
        self.cost = cost
        self.billing = billing
        self.hours = hours
        self.currency = currency
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

/// Added-up forecast figures (of one month, or of a whole period) in ONE currency.
public struct FinancialFigures: Sendable, Hashable {
    public var revenue: Decimal
    public var cost: Decimal
    public var billing: Decimal
    public var hours: Decimal
    /// revenue - cost, exact.
    public var margin: Decimal
    /// margin / revenue * 100, rounded half away from zero to 2 decimals; nil when revenue is 0.
    public var marginPercent: Decimal?

    public init(revenue: Decimal, cost: Decimal, billing: Decimal, hours: Decimal, margin: Decimal,
                marginPercent: Decimal?) {
        self.revenue = revenue
        self.cost = cost
        self.billing = billing
        self.hours = hours
        self.margin = margin
        self.marginPercent = marginPercent
    }
}

/// One month's figures.
public struct StoredMonthFigures: Sendable, Hashable {
    /// 'YYYY-MM'.
    public var month: String
    public var figures: FinancialFigures

    public init(month: String, figures: FinancialFigures) {
        self.month = month
        self.figures = figures
    }
}

/// One currency's months and total. Different currencies are never added together.
public struct StoredCurrencySummary: Sendable, Hashable {
    /// ISO 4217.
    public var currency: String
    /// The months that have forecasts in this currency, in order.
    public var months: [StoredMonthFigures]
    /// The sum over `months`.
    public var total: FinancialFigures

    public init(currency: String, months: [StoredMonthFigures], total: FinancialFigures) {
        self.currency = currency
        self.months = months
        self.total = total
    }
}

/// The card's financial tab: the forecasts of the customer's projects added up per currency and month.
public struct FinancialSummary: Sendable, Hashable {
    /// The first and last month included ('YYYY-MM'); nil when unbounded.
    public var from: String?
    public var to: String?
    /// By currency code, alphabetically.
    public var currencies: [StoredCurrencySummary]

    public init(from: String?, to: String?, currencies: [StoredCurrencySummary]) {
        self.from = from
        self.to = to
        self.currencies = currencies
    }
}

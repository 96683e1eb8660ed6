import Foundation
import Testing
@testable import CustomerStore

@Suite struct ForecastTests {
    private static func decimal(_ text: String) -> Decimal {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? .nan
    }

    @Test func setForecastUpsertsOneRowPerMonthAndRecordsHistory() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Alpha")
        let project = try store.createProject(customerID: customer.id, StoredProjectFields(name: "Build", currency: "EUR"),
                                              by: .user(fixture.admin.id))
        let first = try store.setForecast(projectID: project.id, month: "2027-03", revenue: 1_000, cost: 400, billing: 900,
                                          hours: Self.decimal("12.5"), by: .user(fixture.admin.id))
        #expect(first == StoredForecast(projectID: project.id, month: "2027-03", revenue: 1_000, cost: 400, billing: 900,
                                  hours: Self.decimal("12.5"), currency: "EUR", updatedAt: fixture.clock.now,
                                  updatedBy: fixture.admin.ref))
        _ = try store.setForecast(projectID: project.id, month: "2027-01", revenue: 10, cost: 0, billing: 0, hours: 0,
                                  currency: "usd", by: .user(fixture.admin.id))
        let replaced = try store.setForecast(projectID: project.id, month: "2027-03", revenue: 1_000, cost: 500,
                                             billing: 900, hours: Self.decimal("12.5"), by: .user(fixture.other.id))
        #expect(replaced.cost == 500 && replaced.updatedBy == fixture.other.ref)
        #expect(try store.forecasts(projectID: project.id).map { "\($0.month) \($0.currency) \($0.cost)" }
            == ["2027-01 USD 0", "2027-03 EUR 500"])
        try store.removeForecast(projectID: project.id, month: "2027-01", by: .user(fixture.admin.id))
        #expect(try store.forecasts(projectID: project.id) == [replaced])
        #expect(throws: StoreError.notFound("project \(project.id) has no forecast for 2027-01", field: "month")) {
            try store.removeForecast(projectID: project.id, month: "2027-01", by: .user(fixture.admin.id))
        }
        #expect(ProjectTests.summary(try store.history(.project, id: project.id)) == [
            "created kind:->project name:->Build number:->1001 status:->open currency:->EUR",
            "forecastSet forecast.2027-03.revenue:->1000 forecast.2027-03.cost:->400 forecast.2027-03.billing:->900 "
                + "forecast.2027-03.hours:->12.5 forecast.2027-03.currency:->EUR",
            "forecastSet forecast.2027-01.revenue:->10 forecast.2027-01.cost:->0 forecast.2027-01.billing:->0 "
                + "forecast.2027-01.hours:->0 forecast.2027-01.currency:->USD",
            "forecastSet forecast.2027-03.cost:400>500",
            "forecastRemoved forecast.2027-01.revenue:10>- forecast.2027-01.cost:0>- forecast.2027-01.billing:0>- "
                + "forecast.2027-01.hours:0>- forecast.2027-01.currency:USD>-",
        ])
    }

    @Test func invalidForecastsAreRefused() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Beta")
        let noCurrency = try store.createProject(customerID: customer.id, StoredProjectFields(name: "P"), by: .user(fixture.admin.id))
        #expect(violations {
            _ = try store.setForecast(projectID: noCurrency.id, month: "2027-13", revenue: Self.decimal("0.00001"),
                                      cost: -1, billing: Self.decimal("1e15"), hours: 1, by: .user(fixture.admin.id))
        }?.map(\.field) == ["month", "revenue", "cost", "billing", "currency"])
        let sale = try store.createSalesCase(customerID: customer.id, StoredProjectFields(name: "S"), by: .user(fixture.admin.id))
        #expect(throws: StoreError.failedPrecondition("project \(sale.id) is a sales case: win it before forecasting",
                                                     field: "projectId")) {
            try store.setForecast(projectID: sale.id, month: "2027-01", revenue: 1, cost: 1, billing: 1, hours: 1,
                                  currency: "EUR", by: .user(fixture.admin.id))
        }
        #expect(violations {
            _ = try store.financialSummary(customerID: customer.id, from: "2027-05", to: "2027-04")
        }?.map(\.field) == ["to"])
        #expect(violations { _ = try store.financialSummary(customerID: customer.id, from: "2027-5") }?.map(\.field)
            == ["from"])
    }

    /// The card's financial tab takes the summary's months and refuses what the summary refuses
    /// (ENCODING.md's month rule), whatever tabs are asked for; it used to echo any text back.
    @Test func theCardsMonthsAreCheckedAsTheSummarysAre() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Card months")
        let now = fixture.clock.now
        for (from, to, fields) in [("2024-13", nil, ["from"]), ("0999-12", nil, ["from"]), (nil, "zzz", ["to"]),
                                   ("2024-1", "10000-01", ["from", "to"]), ("2027-05", "2027-04", ["to"])] {
            for tabs: Set<CardTabSelection> in [[.financial], [.settings]] {
                #expect(violations {
                    _ = try store.cardTabs(customerID: customer.id, now: now, tabs: tabs, from: from, to: to)
                }?.map(\.field) == fields, "\(String(describing: from)) \(String(describing: to)) \(tabs)")
            }
        }
        let card = try store.cardTabs(customerID: customer.id, now: now, tabs: [.financial], from: " 2024-01 ", to: "")
        #expect(card.financial?.from == "2024-01" && card.financial?.to == nil)
    }

    @Test func financialSummaryIsExactAndNeverMixesCurrencies() throws {
        let fixture = try Fixture()
        let store = fixture.store
        let customer = try fixture.create("Gamma")
        let by = Author.user(fixture.admin.id)
        let euro1 = try store.createProject(customerID: customer.id, StoredProjectFields(name: "E1", currency: "EUR"), by: by)
        let euro2 = try store.createProject(customerID: customer.id, StoredProjectFields(name: "E2", currency: "EUR"), by: by)
        let krone = try store.createProject(customerID: customer.id, StoredProjectFields(name: "N", currency: "NOK"), by: by)
        let dollar = try store.createProject(customerID: customer.id, StoredProjectFields(name: "U", currency: "USD"), by: by)
        let stranger = try store.createProject(customerID: (try fixture.create("Other")).id,
                                               StoredProjectFields(name: "X", currency: "EUR"), by: by)
        func set(_ project: StoredProject, _ month: String, _ revenue: String, _ cost: String, _ billing: String = "0",
                 _ hours: String = "0") throws {
            _ = try store.setForecast(projectID: project.id, month: month, revenue: Self.decimal(revenue),
                                      cost: Self.decimal(cost), billing: Self.decimal(billing), hours: Self.decimal(hours),
                                      by: by)
        }
        // 0.1 + 0.2 is 0.3 exactly (a Double sum would be 0.30000000000000004).
        try set(euro1, "2027-01", "0.1", "0.05", "0.1", "1.25")
        try set(euro2, "2027-01", "0.2", "0.05", "0.2", "2.5")
        try set(euro1, "2027-02", "300", "100")
        try set(krone, "2027-01", "1000", "1000")
        try set(dollar, "2027-02", "0", "50")
        try set(dollar, "2027-03", "3", "2")
        try set(euro1, "2026-12", "999", "0")
        try set(stranger, "2027-01", "5000", "0")

        let summary = try store.financialSummary(customerID: customer.id, from: "2027-01", to: "2027-03")
        #expect(summary.from == "2027-01" && summary.to == "2027-03")
        #expect(summary.currencies.map(\.currency) == ["EUR", "NOK", "USD"])
        let euro = summary.currencies[0]
        #expect(euro.months.map(\.month) == ["2027-01", "2027-02"])
        #expect(euro.months[0].figures == FinancialFigures(
            revenue: Self.decimal("0.3"), cost: Self.decimal("0.1"), billing: Self.decimal("0.3"),
            hours: Self.decimal("3.75"), margin: Self.decimal("0.2"), marginPercent: Self.decimal("66.67")))
        #expect(euro.total == FinancialFigures(
            revenue: Self.decimal("300.3"), cost: Self.decimal("100.1"), billing: Self.decimal("0.3"),
            hours: Self.decimal("3.75"), margin: Self.decimal("200.2"), marginPercent: Self.decimal("66.67")))
        #expect(summary.currencies[1].total.margin == 0 && summary.currencies[1].total.marginPercent == 0)
        let usd = summary.currencies[2]
        // Zero revenue: no margin % (not 0, not infinity), and the month still adds to the total.
        #expect(usd.months[0].figures.margin == -50 && usd.months[0].figures.marginPercent == nil)
        #expect(usd.total.revenue == 3 && usd.total.margin == -49 && usd.total.marginPercent == Self.decimal("-1633.33"))

        let unbounded = try store.financialSummary(customerID: customer.id)
        #expect(unbounded.currencies[0].months.map(\.month) == ["2026-12", "2027-01", "2027-02"])
        #expect(unbounded.currencies[0].total.revenue == Self.decimal("1299.3"))
        #expect(try store.financialSummary(customerID: (try fixture.create("Empty")).id).currencies == [])
    }

    @Test(arguments: [("2", "1", "50"), ("3", "1", "66.67"), ("3", "2", "33.33"), ("8", "7", "12.5"),
                      ("200000", "199999", "0"), ("0.03", "0.0295", "1.67"),
                      ("8", "7.9996", "0.01"), ("8", "8.0004", "-0.01")])
    func marginPercentIsRoundedToTwoDecimalsHalfAwayFromZero(revenue: String, cost: String, percent: String) throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Delta")
        let project = try fixture.store.createProject(customerID: customer.id, StoredProjectFields(name: "P", currency: "EUR"),
                                                      by: .user(fixture.admin.id))
        _ = try fixture.store.setForecast(projectID: project.id, month: "2027-01", revenue: Self.decimal(revenue),
                                          cost: Self.decimal(cost), billing: 0, hours: 0, by: .user(fixture.admin.id))
        let total = try #require(try fixture.store.financialSummary(customerID: customer.id).currencies.first).total
        #expect(total.marginPercent == Self.decimal(percent))
    }
}

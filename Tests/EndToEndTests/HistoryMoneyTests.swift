import CustomerClient
import Testing

/// A sales case's history records its expected value, a project's its forecasts; without Financial
/// figures ListHistory and the change feed leave those changes out, as the sales case and
/// ListForecasts leave the money out, and keep the others.
@Suite struct HistoryMoneyTests {
    @Test(arguments: [(BuiltIn.administrator.rawValue, true), (BuiltIn.readOnly.rawValue, false)])
    func projectHistoryShowsMoneyOnlyWithFinancialFigures(profile: String, seesMoney: Bool) async throws {
        try await withPermissionServer(profile: profile) { fixture in
            let entries = try await fixture.client.history.list(.project, id: fixture.seed.salesCase)
            let fields = entries.flatMap { $0.changes.map(\.field) }
            #expect(fields.contains("expectedValue") == seesMoney, "\(profile): \(fields)")
            #expect(fields.contains("expectedCurrency"), "\(profile): \(fields)")
            #expect(!entries.flatMap(\.changes).contains { $0.newValue == "5000" } || seesMoney)
        }
    }

    @Test(arguments: [(BuiltIn.administrator.rawValue, true), (BuiltIn.readOnly.rawValue, false)])
    func forecastFiguresAreInTheHistoryAndTheFeedOnlyWithFinancialFigures(profile: String, seesMoney: Bool) async throws {
        try await withPermissionServer(profile: profile) { fixture in
            let project = fixture.seed.project
            let entries = try await fixture.client.history.list(.project, id: project)
            let forecastSet = try #require(entries.first { $0.action == "forecastSet" }, "\(profile): \(entries)")
            let shown = forecastSet.changes.map(\.field)
            #expect(shown.contains("forecast.2027-01.revenue") == seesMoney, "\(profile): \(shown)")
            // Revenue, cost, billing, hours and currency of the month, or nothing at all.
            #expect(shown.count == (seesMoney ? 5 : 0), "\(profile): \(shown)")

            var feed = fixture.client.changes.watch(after: 0).makeAsyncIterator()
            var event = try #require(try await feed.next())
            while !(event.kind == .project && event.entityId == project && event.action == "forecastSet") {
                event = try #require(try await feed.next())
            }
            #expect(event.changes.map(\.field) == shown, "\(profile)")
        }
    }
}

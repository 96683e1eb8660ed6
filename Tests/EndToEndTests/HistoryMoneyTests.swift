import CustomerClient
import Testing

/// A sales case's history records its expected value; without Financial figures ListHistory leaves
/// those changes out, as the sales case itself leaves its money out, and keeps the others.
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
}

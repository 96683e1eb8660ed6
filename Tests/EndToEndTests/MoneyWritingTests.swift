import CustomerClient
import Foundation
import Testing

/// A caller without Financial figures may not write a money field it may not see: a sales case's
/// expected value, on create and on update (as SetForecast needs the right). The rest of the
/// record it may still write.
@Suite struct MoneyWritingTests {
    @Test func withoutFinancialFiguresSettingAnExpectedValueIsRefusedAndChangesNothing() async throws {
        try await withPermissionServer(profile: BuiltIn.consultant.rawValue) { fixture in
            let client = fixture.client
            let customer = fixture.seed.ownCustomer
            let before = try fixture.snapshot()
            let refusedCreate = await outcome {
                _ = try await client.projects.createSalesCase(
                    customerID: customer, ProjectFields(name: "Offer", expectedValue: 9000, expectedCurrency: "EUR"))
            }
            #expect(refusedCreate?.code == .permissionDenied)
            #expect(refusedCreate?.details.map(\.field) == ["right"])
            #expect(refusedCreate?.message.contains("Financial figures") == true, "\(String(describing: refusedCreate))")
            #expect(try fixture.snapshot().changedTables(comparedTo: before) == [])

            let offer = try await client.projects.createSalesCase(customerID: customer, ProjectFields(name: "Offer"))
            let unchanged = try fixture.snapshot()
            let refusedUpdate = await outcome {
                _ = try await client.projects.update(id: offer.id, ProjectFields(expectedValue: 1))
            }
            #expect(refusedUpdate?.code == .permissionDenied)
            #expect(try fixture.snapshot().changedTables(comparedTo: unchanged) == [])
            let renamed = try await client.projects.update(id: offer.id, ProjectFields(name: "Offer 2", probability: 40))
            #expect(renamed.name == "Offer 2" && renamed.moneyHidden == true)
        }
    }

    @Test func withFinancialFiguresTheExpectedValueIsWritten() async throws {
        try await withPermissionServer(profile: BuiltIn.sales.rawValue) { fixture in
            let offer = try await fixture.client.projects.createSalesCase(
                customerID: fixture.seed.ownCustomer, ProjectFields(name: "Offer", expectedValue: 9000, expectedCurrency: "EUR"))
            let updated = try await fixture.client.projects.update(id: offer.id, ProjectFields(expectedValue: 9500))
            #expect(offer.expectedValue == 9000 && updated.expectedValue == 9500)
        }
    }
}

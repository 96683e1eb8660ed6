import CustomerStore
import Foundation
import Testing
@testable import CustomerServer

/// The field-level rule: without Financial figures money is absent (not zero) and marked hidden.
/// Checked on a message shaped like the projects and invoices that carry money.
@Suite struct FinancialFiguresTests {
    struct ProjectLike: MoneyBearing, Equatable {
        var name: String
        var budget: Decimal?
        var invoiced: Decimal?
        var moneyHidden: Bool?

        func withFinancialFiguresHidden() -> ProjectLike {
            ProjectLike(name: name, budget: nil, invoiced: nil, moneyHidden: true)
        }
    }

    static func caller(financialFigures: Bool) -> Caller {
        let rights = PermissionRights(readCustomers: .all, financialFigures: financialFigures)
        let user = StoredUser(id: 7, uid: 1007, name: "pia", active: true, createdAt: Date(timeIntervalSince1970: 0),
                        profile: ProfileRef(id: 4, name: "Read only", version: 1), rights: rights, trustedService: false)
        return Caller(user: user, service: nil)
    }

    static let project = ProjectLike(name: "Roll-out", budget: Decimal(string: "12500.50"), invoiced: 0)

    @Test func withTheRightMoneyIsShownAsItIs() {
        let caller = Self.caller(financialFigures: true)
        #expect(caller.financialFiguresVisible)
        #expect(caller.shown(Self.project) == Self.project)
        #expect(caller.shown([Self.project]) == [Self.project])
    }

    @Test func withoutItEveryMoneyFieldIsAbsentAndMarkedHiddenInListsAndOptionalsToo() {
        let caller = Self.caller(financialFigures: false)
        let hidden = ProjectLike(name: "Roll-out", budget: nil, invoiced: nil, moneyHidden: true)
        #expect(!caller.financialFiguresVisible)
        #expect(caller.shown(Self.project) == hidden)
        #expect(caller.shown([Self.project, Self.project]) == [hidden, hidden])
        #expect(caller.shown(Optional(Self.project)) == hidden)
        #expect(caller.shown(ProjectLike?.none) == nil)
    }
}

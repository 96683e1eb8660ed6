import Foundation
import Testing
@testable import CustomerStore

@Suite struct ProjectTests {
    /// An entry as "action field:old>new,..." for compact comparisons.
    static func summary(_ entries: [StoredHistoryEntry]) -> [String] {
        entries.map { entry in
            ([entry.action] + entry.changes.map { "\($0.field):\($0.oldValue ?? "-")>\($0.newValue ?? "-")" })
                .joined(separator: " ")
        }
    }

    @Test func salesCaseIsCreatedOpenWithItsFields() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Alpha")
        let sale = try fixture.store.createSalesCase(customerID: customer.id, StoredProjectFields(
            name: "  Website renewal ", stage: "offer", probability: 60, expectedValue: Decimal(string: "12500.50"),
            expectedCurrency: "eur", expectedClose: "2027-02-28"), by: .user(fixture.admin.id))
        #expect(sale == StoredProject(
            id: sale.id, customerID: customer.id, kind: .salesCase, name: "Website renewal", stage: "offer",
            probability: 60, expectedValue: Decimal(string: "12500.50"), expectedCurrency: "EUR",
            expectedClose: "2027-02-28", outcome: .open, version: 1, createdAt: fixture.clock.now,
            createdBy: fixture.admin.ref, updatedAt: fixture.clock.now, updatedBy: fixture.admin.ref))
        #expect(try fixture.store.project(id: sale.id) == sale)
    }

    @Test func projectsAreNumberedFrom1001UnlessGiven() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Beta")
        let store = fixture.store
        let first = try store.createProject(customerID: customer.id, StoredProjectFields(name: "One"), by: .user(fixture.admin.id))
        let picked = try store.createProject(customerID: customer.id, StoredProjectFields(name: "Two", number: 2000),
                                             by: .user(fixture.admin.id))
        let next = try store.createProject(customerID: customer.id, StoredProjectFields(
            name: "Three", managerID: fixture.other.id, startsOn: "2027-01-01", endsOn: "2027-01-01", currency: "nok"),
            by: .user(fixture.admin.id))
        #expect([first.number, picked.number, next.number] == [1001, 2000, 2001])
        #expect(first.status == .open && first.outcome == nil && first.kind == .project)
        #expect(next.manager == fixture.other.ref && next.currency == "NOK")
        #expect(throws: StoreError.alreadyExists("is already taken", field: "number")) {
            try store.createProject(customerID: customer.id, StoredProjectFields(name: "Dup", number: 1001), by: .user(fixture.admin.id))
        }
    }

    @Test func aProjectNumberOutsideTheRangeIsRefusedAndAutomaticNumberingGoesOn() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Gamma")
        let store = fixture.store
        for number in [Int64.max, 10_000_000_000, 0, -1] {
            #expect(violations {
                _ = try store.createProject(customerID: customer.id, StoredProjectFields(name: "Far", number: number),
                                            by: .user(fixture.admin.id))
            }?.map(\.field) == ["number"], "number \(number)")
        }
        let next = try store.createProject(customerID: customer.id, StoredProjectFields(name: "Next"), by: .user(fixture.admin.id))
        #expect(next.number == 1001)
    }

    @Test func invalidInputListsEveryFieldAndFieldsOfTheOtherKind() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Gamma")
        let store = fixture.store
        #expect(violations {
            _ = try store.createSalesCase(customerID: customer.id, StoredProjectFields(
                name: " ", stage: String(repeating: "s", count: 51), probability: 101,
                expectedValue: Decimal(string: "1.23456"), expectedCurrency: "EURO", expectedClose: "2027-02-29",
                number: 5, currency: "EUR"), by: .user(fixture.admin.id))
        }?.map(\.field) == ["number", "currency", "name", "stage", "probability", "expectedValue", "expectedCurrency",
                            "expectedClose"])
        #expect(violations {
            _ = try store.createProject(customerID: customer.id, StoredProjectFields(
                name: "P", stage: "lead", number: 0, managerID: 99, startsOn: "2027-03-02", endsOn: "2027-03-01",
                currency: "XAU"), by: .user(fixture.admin.id))
        }?.map(\.field) == ["stage", "number", "endsOn", "currency", "manager"])
        #expect(violations {
            _ = try store.createSalesCase(customerID: customer.id, StoredProjectFields(name: "S", expectedValue: -1),
                                          by: .user(fixture.admin.id))
        } == [FieldViolation(field: "expectedValue", reason: "must not be negative")])
        #expect(throws: StoreError.notFound("customer 99 does not exist", field: "customerId")) {
            try store.createProject(customerID: 99, StoredProjectFields(name: "P"), by: .user(fixture.admin.id))
        }
        #expect(try store.projects(customerID: customer.id) == [])
    }

    @Test func updateChangesOnlyGivenFieldsOfItsKind() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Delta")
        let store = fixture.store
        let project = try store.createProject(customerID: customer.id, StoredProjectFields(name: "Build", currency: "EUR"),
                                              by: .user(fixture.admin.id))
        fixture.clock.advance(milliseconds: 5)
        let updated = try store.updateProject(id: project.id, ProjectChanges(
            name: "Build 2", status: .closed, managerID: .some(fixture.other.id), endsOn: "2027-06-30", currency: ""),
            expectedVersion: 1, by: .user(fixture.other.id))
        #expect(updated.name == "Build 2" && updated.status == .closed && updated.manager == fixture.other.ref)
        #expect(updated.endsOn == "2027-06-30" && updated.currency == nil && updated.number == project.number)
        #expect(updated.version == 2 && updated.updatedAt == fixture.clock.now && updated.updatedBy == fixture.other.ref)
        #expect(throws: StoreError.aborted("project \(project.id) was changed by someone else: expected version 1, "
            + "current version is 2; read it again and retry", field: "expectedVersion")) {
            try store.updateProject(id: project.id, ProjectChanges(name: "X"), expectedVersion: 1, by: .user(fixture.admin.id))
        }
        #expect(violations {
            _ = try store.updateProject(id: project.id, ProjectChanges(probability: .some(50), expectedClose: "2027-01-01"),
                                        expectedVersion: nil, by: .user(fixture.admin.id))
        }?.map(\.field) == ["probability", "expectedClose"])
        #expect(Self.summary(try store.history(.project, id: project.id)) == [
            "created kind:->project name:->Build number:->1001 status:->open currency:->EUR",
            "updated name:Build>Build 2 status:open>closed manager:->bob endsOn:->2027-06-30 currency:EUR>-",
        ])
    }

    @Test func winningKeepsTheRowItsIdAndItsHistory() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Epsilon")
        let store = fixture.store
        _ = try store.createProject(customerID: customer.id, StoredProjectFields(name: "Earlier"), by: .user(fixture.admin.id))
        let sale = try store.createSalesCase(customerID: customer.id, StoredProjectFields(
            name: "Deal", stage: "offer", probability: 80, expectedValue: 9_000, expectedCurrency: "SEK"),
            by: .user(fixture.admin.id))
        let task = try store.addProjectTask(projectID: sale.id, name: "Prepare offer", assigneeID: nil, dueOn: nil,
                                            by: .user(fixture.admin.id))
        fixture.clock.advance(milliseconds: 10)
        let won = try store.winSalesCase(id: sale.id, projectFields: ProjectChanges(managerID: .some(fixture.other.id)),
                                         by: .user(fixture.other.id))
        #expect(won.id == sale.id && won.kind == .project && won.outcome == .won && won.status == .open)
        #expect(won.number == 1002 && won.currency == "SEK" && won.manager == fixture.other.ref)
        #expect(won.stage == "offer" && won.expectedValue == 9_000 && won.version == 2)
        #expect(try store.projectTask(id: task.id).projectID == won.id)
        #expect(Self.summary(try store.history(.project, id: sale.id)) == [
            "created kind:->salesCase name:->Deal stage:->offer probability:->80 expectedValue:->9000 expectedCurrency:->SEK "
                + "outcome:->open",
            "won kind:salesCase>project outcome:open>won number:->1002 status:->open manager:->bob currency:->SEK",
        ])
        let otherCurrency = try store.createSalesCase(customerID: customer.id, StoredProjectFields(
            name: "Deal 2", expectedCurrency: "SEK"), by: .user(fixture.admin.id))
        #expect(try store.winSalesCase(id: otherCurrency.id, projectFields: ProjectChanges(number: 7, currency: "EUR"),
                                       by: .user(fixture.admin.id)).currency == "EUR")
        #expect(violations {
            _ = try store.winSalesCase(id: (try store.createSalesCase(customerID: customer.id, StoredProjectFields(name: "D3"),
                                                                      by: .user(fixture.admin.id))).id,
                                       projectFields: ProjectChanges(stage: "won"), by: .user(fixture.admin.id))
        }?.map(\.field) == ["stage"])
    }

    @Test func losingNeedsAReasonAndOnlyOpenSalesCasesEnd() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Zeta")
        let store = fixture.store
        let sale = try store.createSalesCase(customerID: customer.id, StoredProjectFields(name: "Maybe"), by: .user(fixture.admin.id))
        #expect(violations { _ = try store.loseSalesCase(id: sale.id, reason: "  ", by: .user(fixture.admin.id)) }?
            .map(\.field) == ["reason"])
        #expect(try store.project(id: sale.id).outcome == .open)
        let lost = try store.loseSalesCase(id: sale.id, reason: " Too expensive ", by: .user(fixture.admin.id))
        #expect(lost.outcome == .lost && lost.lostReason == "Too expensive" && lost.kind == .salesCase)
        #expect(Self.summary(try store.history(.project, id: sale.id)).last
            == "lost outcome:open>lost lostReason:->Too expensive")

        let project = try store.createProject(customerID: customer.id, StoredProjectFields(name: "P"), by: .user(fixture.admin.id))
        let refusals: [(Int64, String)] = [(sale.id, "a lost sales case"), (project.id, "a project")]
        for (id, state) in refusals {
            let expected = StoreError.failedPrecondition("project \(id) is not an open sales case (it is \(state))", field: "id")
            #expect(throws: expected) { try store.winSalesCase(id: id, by: .user(fixture.admin.id)) }
            #expect(throws: expected) { try store.loseSalesCase(id: id, reason: "No", by: .user(fixture.admin.id)) }
        }
        #expect(throws: StoreError.notFound("project 999 does not exist")) {
            try store.winSalesCase(id: 999, by: .user(fixture.admin.id))
        }
    }

    @Test(arguments: [
        (ProjectFilter.all, ["lost", "won closed", "won open", "open sale", "closed project", "open project"]),
        (.salesCases, ["lost", "open sale"]),
        (.projects, ["won closed", "won open", "closed project", "open project"]),
        (.open, ["won open", "open sale", "open project"]),
        (.closed, ["lost", "won closed", "closed project"]),
    ])
    func filtersSelectByKindAndState(filter: ProjectFilter, expected: [String]) throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Eta")
        let store = fixture.store
        let by = Author.user(fixture.admin.id)
        _ = try store.createProject(customerID: customer.id, StoredProjectFields(name: "open project"), by: by)
        _ = try store.createProject(customerID: customer.id, StoredProjectFields(name: "closed project", status: .closed), by: by)
        _ = try store.createSalesCase(customerID: customer.id, StoredProjectFields(name: "open sale"), by: by)
        let wonOpen = try store.createSalesCase(customerID: customer.id, StoredProjectFields(name: "won open"), by: by)
        _ = try store.winSalesCase(id: wonOpen.id, by: by)
        let wonClosed = try store.createSalesCase(customerID: customer.id, StoredProjectFields(name: "won closed"), by: by)
        _ = try store.winSalesCase(id: wonClosed.id, projectFields: ProjectChanges(status: .closed), by: by)
        let lost = try store.createSalesCase(customerID: customer.id, StoredProjectFields(name: "lost"), by: by)
        _ = try store.loseSalesCase(id: lost.id, reason: "Budget", by: by)
        _ = try store.createProject(customerID: (try fixture.create("Other")).id, StoredProjectFields(name: "elsewhere"), by: by)

        #expect(try store.projects(customerID: customer.id, filter: filter).map(\.name) == expected)
        let tab = try store.salesAndProjects(customerID: customer.id)
        #expect(tab.salesCases.map(\.name) == ["lost", "open sale"])
        #expect(tab.projects.map(\.name) == ["won closed", "won open", "closed project", "open project"])
    }
}

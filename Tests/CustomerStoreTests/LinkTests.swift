import Foundation
import Testing
@testable import CustomerStore

@Suite struct LinkTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let url: String
        let title: String?
        let fields: [String]
        var testDescription: String { label }
    }

    static let invalidCases: [Case] = [
        Case(label: "ftp", url: "ftp://example.com/file", title: nil, fields: ["url"]),
        Case(label: "blank url", url: "  ", title: nil, fields: ["url"]),
        Case(label: "no host", url: "https://", title: nil, fields: ["url"]),
        Case(label: "space in url", url: "exa mple.com", title: nil, fields: ["url"]),
        Case(label: "title over 200", url: "example.com", title: String(repeating: "t", count: 201), fields: ["title"]),
        Case(label: "both", url: "gopher://example.com", title: String(repeating: "t", count: 201), fields: ["url", "title"]),
    ]

    @Test(arguments: invalidCases)
    func invalidLinkIsRefused(_ testCase: Case) throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Links Oy")
        #expect(violations {
            _ = try fixture.store.addLink(customerID: customer.id, projectID: nil, url: testCase.url, title: testCase.title,
                                          by: .user(fixture.admin.id))
        }?.map(\.field) == testCase.fields)
        #expect(try fixture.store.links(customerID: customer.id).isEmpty)
    }

    @Test func linksAreAddedRetitledAndRemoved() throws {
        let fixture = try Fixture()
        let customer = try fixture.create("Links Oy")
        let wiki = try fixture.store.addLink(customerID: customer.id, projectID: nil, url: " wiki.example.com/customer ",
                                             title: " Wiki ", by: .user(fixture.admin.id))
        #expect(wiki == StoredLink(id: wiki.id, customerID: customer.id, projectID: nil, projectName: nil,
                                   url: "https://wiki.example.com/customer", title: "Wiki", createdAt: fixture.clock.now,
                                   createdBy: fixture.admin.ref, updatedAt: fixture.clock.now, updatedBy: fixture.admin.ref))
        let project = try fixture.store.createProject(customerID: customer.id, StoredProjectFields(name: "Rollout"), by: .user(fixture.admin.id))
        let plan = try fixture.store.addLink(customerID: customer.id, projectID: project.id, url: "http://intranet.example/plan",
                                             title: nil, by: .user(fixture.other.id))
        #expect(try fixture.store.links(customerID: customer.id) == [wiki, plan])

        fixture.clock.advance(milliseconds: 5)
        let retitled = try fixture.store.renameLink(id: plan.id, title: "Project plan", by: .user(fixture.admin.id))
        #expect(retitled.title == "Project plan" && retitled.updatedAt == fixture.clock.now && retitled.url == plan.url)
        #expect(try fixture.store.renameLink(id: plan.id, title: "", by: .user(fixture.admin.id)).title == nil)

        #expect(try fixture.store.removeLink(id: wiki.id, by: .user(fixture.admin.id)) == wiki)
        #expect(try fixture.store.links(customerID: customer.id).map(\.id) == [plan.id])
        #expect(throws: StoreError.notFound("link \(wiki.id) does not exist")) {
            try fixture.store.removeLink(id: wiki.id, by: .user(fixture.admin.id))
        }
        #expect(try fixture.store.history(.customer, id: customer.id).suffix(4).flatMap(\.changes) == [
            StoredFieldChange(field: "links.\(plan.id)", oldValue: nil, newValue: "http://intranet.example/plan"),
            StoredFieldChange(field: "links.\(plan.id).title", oldValue: nil, newValue: "Project plan"),
            StoredFieldChange(field: "links.\(plan.id).title", oldValue: "Project plan", newValue: nil),
            StoredFieldChange(field: "links.\(wiki.id)", oldValue: "https://wiki.example.com/customer", newValue: nil),
        ])
        #expect(throws: StoreError.notFound("customer 999 does not exist", field: "customerId")) {
            try fixture.store.addLink(customerID: 999, projectID: nil, url: "example.com", title: nil, by: .user(fixture.admin.id))
        }
    }
}

import Foundation
import Testing
@testable import CustomerStore

/// The card's read of its customer says whether the customer has market segments and projects
/// (`CardCustomer`), and the card skips the reads of what it has not: the tabs stay those the
/// general reads give, for a customer with and without them.
@Suite struct CardCustomerTests {
    /// How many statements `body` runs on the store's only reader.
    private static func statements(_ store: CustomerStore, _ body: () throws -> Void) throws -> Int {
        let before = try store.readers.withConnection { $0.statementsRun }
        try body()
        return try store.readers.withConnection { $0.statementsRun } - before
    }

    /// A project of `customerID` with an open task (due 2027-06-15, after the test clock's now)
    /// and a completed one.
    private static func project(_ fixture: Fixture, of customerID: Int64) throws {
        let store = fixture.store, author = Author.user(fixture.admin.id)
        let project = try store.createProject(customerID: customerID, StoredProjectFields(name: "Rollout"), by: author)
        _ = try store.addProjectTask(projectID: project.id, name: "Plan", assigneeID: nil, dueOn: "2027-06-15", by: author)
        let kickOff = try store.addProjectTask(projectID: project.id, name: "Kick-off", assigneeID: nil, dueOn: nil,
                                               by: author)
        _ = try store.setProjectTaskDone(id: kickOff.id, true, by: author)
    }

    @Test func theCardReadsSegmentsAndProjectTasksOnlyOfACustomerThatHasThem() throws {
        // No search indexer: its commits, between two counted reads, would make the second look its names up again.
        let fixture = try Fixture(readerCount: 1, indexesSearchBehind: false)
        let store = fixture.store, author = Author.user(fixture.admin.id)
        let plain = try fixture.create("Plain Oy")
        let busy = try fixture.create("Busy Oy")
        for customer in [plain, busy] {
            _ = try store.addNote(customerID: customer.id, text: "Met them", contactID: nil, by: author)
        }
        let nordics = try store.createSegment(name: "Nordics", parentID: nil)
        let finland = try store.createSegment(name: "Finland", parentID: nordics.id)
        _ = try store.setCustomerSegments(customerID: busy.id, segmentIDs: [finland.id], by: author)
        try Self.project(fixture, of: busy.id)
        let now = fixture.clock.now
        let tab: Set<CardTabSelection> = [.contactInformation]

        // A card read first, so the counted reads find the admin's name kept (`KeptNames`).
        _ = try store.cardTabs(customerID: plain.id, now: now, tabs: tab)
        var plainCard: CardTabs<StoredCustomer>?, busyCard: CardTabs<StoredCustomer>?
        let plainCount = try Self.statements(store) {
            plainCard = try store.cardTabs(customerID: plain.id, now: now, tabs: tab)
        }
        let busyCount = try Self.statements(store) {
            busyCard = try store.cardTabs(customerID: busy.id, now: now, tabs: tab)
        }
        // BEGIN, the customer (with its probes), addresses, contacts, activities, COMMIT; the
        // segments' walk up the tree only for the customer that has one.
        #expect(plainCount == 6)
        #expect(busyCount == 7)

        let plainTab = try #require(plainCard?.contactInformation)
        #expect(plainTab.segments.isEmpty)
        #expect(plainTab.activities == (try store.activities(customerID: plain.id, now: now)))
        #expect(plainTab.activities.done.map(\.subject) == ["Met them"] && plainTab.activities.planned.isEmpty)

        let busyTab = try #require(busyCard?.contactInformation)
        #expect(busyTab.segments == (try store.customerSegments(customerID: busy.id)))
        #expect(busyTab.segments.map(\.path) == [["Nordics", "Finland"]])
        #expect(busyTab.activities == (try store.activities(customerID: busy.id, now: now)))
        #expect(busyTab.activities.planned.map(\.subject) == ["Plan"])
        #expect(busyTab.activities.planned.map(\.kind) == [.projectTask])
        #expect(Set(busyTab.activities.done.map(\.subject)) == ["Met them", "Kick-off"])
        let settings = try store.cardTabs(customerID: busy.id, now: now, tabs: [.settings]).settings
        #expect(settings?.segments == busyTab.segments)

        // A project without tasks, and a segment taken away: still the lists the general reads give.
        _ = try store.createProject(customerID: plain.id, StoredProjectFields(name: "Empty"), by: author)
        _ = try store.setCustomerSegments(customerID: busy.id, segmentIDs: [], by: author)
        let plainAgain = try #require(try store.cardTabs(customerID: plain.id, now: now, tabs: tab).contactInformation)
        #expect(plainAgain.activities == (try store.activities(customerID: plain.id, now: now)))
        let busyAgain = try #require(try store.cardTabs(customerID: busy.id, now: now, tabs: tab).contactInformation)
        #expect(busyAgain.segments.isEmpty)
        #expect(try store.contactInformation(customerID: busy.id, now: now) == busyAgain)
    }

    /// Whether an item is done is decided as the list is read (`ActivityRow.isDone`), as the
    /// SELECT's CASE did: a note always, a task or project task once completed, an event once its
    /// end is not after now (an event ending exactly now is done).
    @Test func anItemIsDoneAsOfTheNowItIsReadFor() throws {
        let fixture = try Fixture()
        let store = fixture.store, author = Author.user(fixture.admin.id)
        let customer = try fixture.create("Calendar Oy")
        let now = fixture.clock.now, hour: TimeInterval = 3_600
        for (subject, start, end) in [("Past", -2 * hour, -hour), ("Ends now", -hour, 0), ("Future", -hour, hour)] {
            _ = try store.addEvent(customerID: customer.id, subject: subject, startsAt: now.addingTimeInterval(start),
                                   endsAt: now.addingTimeInterval(end), contactID: nil, by: author)
        }
        _ = try store.addTask(customerID: customer.id, subject: "Open", dueAt: nil, assigneeID: nil, contactID: nil,
                              by: author)
        let completed = try store.addTask(customerID: customer.id, subject: "Completed", dueAt: nil, assigneeID: nil,
                                          contactID: nil, by: author)
        _ = try store.completeTask(id: completed.id, by: author)
        _ = try store.addNote(customerID: customer.id, text: "Note", contactID: nil, by: author)
        try Self.project(fixture, of: customer.id)

        func activities(at time: Date) throws -> StoredActivityList {
            let tab = try #require(try store.cardTabs(customerID: customer.id, now: time, tabs: [.contactInformation])
                .contactInformation)
            #expect(tab.activities == (try store.activities(customerID: customer.id, now: time)))
            #expect(tab.activities.planned.allSatisfy { !$0.done } && tab.activities.done.allSatisfy(\.done))
            return tab.activities
        }
        let list = try activities(at: now)
        // Planned: dated first (the event that started an hour ago, then the task due in June), then undated.
        #expect(list.planned.map(\.subject) == ["Future", "Plan", "Open"])
        #expect(Set(list.done.map(\.subject)) == ["Past", "Ends now", "Completed", "Note", "Kick-off"])
        // An hour later the last event has ended too, with nothing written.
        let later = try activities(at: now.addingTimeInterval(hour))
        #expect(later.planned.map(\.subject) == ["Plan", "Open"])
        #expect(later.done.contains { $0.subject == "Future" })
        // One activity read on its own (as a write answers it) is decided the same way, as of the
        // store's clock.
        let future = try #require(list.planned.first)
        #expect(try !store.read { try store.requireActivity($0, id: future.id) }.done)
        fixture.clock.advance(milliseconds: 3_600_000)
        #expect(try store.read { try store.requireActivity($0, id: future.id) }.done)
    }

    /// A card whose activities are lent as rows (`cardTabs(…lendingActivity:)`, the server's)
    /// lists them, by `lentActivityOrder`, as the general read lists the records: planned by date
    /// (undated last), done newest first, project tasks among them, ties on the date by id, as of
    /// the read's now; the tab's own list is then empty.
    @Test func activitiesLentAsRowsAreListedInTheRecordsOrder() throws {
        let fixture = try Fixture(readerCount: 1)
        let store = fixture.store, author = Author.user(fixture.admin.id), hour: TimeInterval = 3_600
        let customer = try fixture.create("Busy Oy")
        let now = fixture.clock.now
        let contact = try store.createContact(customerID: customer.id, StoredContactFields(firstName: "Aino", lastName: "V"),
                                              keywords: [], roles: [], by: author)
        _ = try store.addTask(customerID: customer.id, subject: "Someday", dueAt: nil, assigneeID: nil, contactID: nil,
                              by: author)
        _ = try store.addTask(customerID: customer.id, subject: "Later", dueAt: now + 48 * hour,
                              assigneeID: fixture.other.id, contactID: contact.id, by: author)
        _ = try store.addEvent(customerID: customer.id, subject: "Meeting", startsAt: now + hour, endsAt: now + 2 * hour,
                               contactID: nil, by: author)
        _ = try store.addTask(customerID: customer.id, subject: "Same day", dueAt: now + hour, assigneeID: nil,
                              contactID: nil, by: author)
        _ = try store.addEvent(customerID: customer.id, subject: "Fair", startsAt: now - 5 * hour, endsAt: now - 4 * hour,
                               contactID: nil, by: author)
        let first = try store.addTask(customerID: customer.id, subject: "First", dueAt: now - hour, assigneeID: nil,
                                      contactID: nil, by: author)
        fixture.clock.advance(milliseconds: 1_000)
        _ = try store.addNote(customerID: customer.id, text: "Spoke to Aino", contactID: contact.id, by: author)
        _ = try store.addNote(customerID: customer.id, text: "Same time", contactID: nil, by: author)
        fixture.clock.advance(milliseconds: 1_000)
        _ = try store.completeTask(id: first.id, by: author)
        try Self.project(fixture, of: customer.id)

        var lent: [StoredActivity] = []
        let card = try store.cardTabs(customerID: customer.id, now: now, tabs: AskedCardTabs([.contactInformation]),
                                      lendingCustomer: { _ in }, lendingActivity: { lent.append(try $0.stored()) })
        let order = try #require(card.lentActivityOrder)
        let listed = try store.activities(customerID: customer.id, now: now)
        #expect(order.map { lent[$0] } == listed.planned + listed.done)
        #expect(order.sorted() == Array(lent.indices))
        // Stepped in another order than listed, so the order is what put them right.
        #expect(order != Array(lent.indices))
        #expect(listed.planned.map(\.subject) == ["Meeting", "Same day", "Later", "Plan", "Someday"])
        #expect(Set(listed.done.map(\.subject)) == ["First", "Kick-off", "Spoke to Aino", "Same time", "Fair"])
        #expect(listed.done.last?.subject == "Fair")
        #expect(card.contactInformation?.activities == StoredActivityList(planned: [], done: []))
        #expect(card.contactInformation?.contacts.map(\.id) == [contact.id])

        // Without the contact tab nothing is lent.
        lent = []
        let settings = try store.cardTabs(customerID: customer.id, now: now, tabs: AskedCardTabs([.settings]), lendingCustomer: { _ in },
                                          lendingActivity: { lent.append(try $0.stored()) })
        #expect(lent.isEmpty && settings.lentActivityOrder == nil)
    }
}

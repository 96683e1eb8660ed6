// Only the store here: its record names (ContactFields, ...) would clash with the API's.
import CustomerStore
import Foundation
import Glibc

/// The records the permission tests work on. "Own" records belong to a customer whose account
/// manager is this test process's user; "other" records to a customer managed by a colleague.
struct PermissionSeed: Sendable {
    /// The user this test process's uid maps to.
    static let me = "tester"
    /// An administrator that is not this process (so the last-administrator guard never fires).
    static let boss = "boss"
    /// The account manager of the "other" customers.
    static let colleague = "colleague"
    /// A user for the user-administration calls to change.
    static let spare = "spare"
    /// A profile for the profile-administration calls to change.
    static let customProfile = "Custom"
    static let keyword = "news"

    let bossUID: UInt32
    let ownCustomer: Int64
    let ownContact: Int64
    let ownAddress: Int64
    let otherCustomer: Int64
    let otherCustomerNumber: Int64
    /// Someone else's customer with nothing on it, for the delete call.
    let deletableCustomer: Int64
    /// Someone else's: the head office, and two more addresses.
    let headOffice: Int64
    let secondAddress: Int64
    let thirdAddress: Int64
    let contact: Int64
    let deletableContact: Int64
    let task: Int64
    /// Someone else's note, for the delete call.
    let deletableNote: Int64
    /// Someone else's sales case and project (with a forecast month), a project task, a file, a
    /// link and an invoice.
    let salesCase: Int64
    let salesCaseToLose: Int64
    let project: Int64
    let projectTask: Int64
    let file: Int64
    let link: Int64
    let invoice: Int64
    static let segment = "Nordics"
    static let industry = "Mining"
}

enum PermissionSeeder {
    /// A uid for a test user that is not this process's own.
    static func uid(_ preferred: UInt32) -> UInt32 {
        preferred == getuid() ? preferred + 1_000 : preferred
    }

    /// Creates a database at `databasePath` where this process's uid is the user `tester` with
    /// `profile` (and a trusted service when `trusted`), with the records of `PermissionSeed`.
    static func seed(databasePath: String, profile: String, trusted: Bool = false) throws -> PermissionSeed {
        let store = try CustomerStore(path: databasePath)
        defer { store.close() }
        let bossUID = uid(4242)
        let boss = try store.bootstrap(administrators: [(uid: bossUID, name: PermissionSeed.boss)])[0]
        let me = try store.addUser(uid: getuid(), name: PermissionSeed.me, profileName: profile)
        if trusted { _ = try store.setTrustedService(userName: PermissionSeed.me, true) }
        let colleague = try store.addUser(uid: uid(4300), name: PermissionSeed.colleague, profileName: "Sales")
        try store.addUser(uid: uid(4301), name: PermissionSeed.spare)
        _ = try store.createProfile(name: PermissionSeed.customProfile, rights: PermissionRights(readCustomers: .all))
        for keyword in [PermissionSeed.keyword, "temp", "gone"] { _ = try store.createLabel(.keyword, name: keyword) }
        _ = try store.createLabel(.role, name: "buyer")

        let by = Author.user(boss.id)
        let own = try store.createCustomer(NewCustomer(name: "Own Oy", accountManagerID: me.id), by: by)
        let ownAddress = try store.addAddress(customerID: own.id, StoredAddressFields(city: "Espoo", country: "FI"), by: by)
        let ownContact = try store.createContact(customerID: own.id, StoredContactFields(lastName: "Own"),
                                                 keywords: [PermissionSeed.keyword], roles: [], by: by)
        let other = try store.createCustomer(NewCustomer(name: "Other AB", accountManagerID: colleague.id), by: by)
        let deletable = try store.createCustomer(NewCustomer(name: "Deletable AS", accountManagerID: colleague.id), by: by)
        let addresses = try ["Solna", "Malmö", "Lund"].map {
            try store.addAddress(customerID: other.id, StoredAddressFields(city: $0, country: "SE"), by: by).id
        }
        let contact = try store.createContact(customerID: other.id, StoredContactFields(lastName: "Other"),
                                              keywords: [PermissionSeed.keyword], roles: [], by: by)
        let deletableContact = try store.createContact(customerID: other.id, StoredContactFields(lastName: "Gone"),
                                                       keywords: [], roles: [], by: by)
        let task = try store.addTask(customerID: other.id, subject: "Call back", dueAt: nil, assigneeID: nil,
                                     contactID: nil, by: by)
        let deletableNote = try store.addNote(customerID: other.id, text: "Gone soon", contactID: nil, by: by)
        let salesCase = try store.createSalesCase(customerID: other.id, StoredProjectFields(name: "Deal"), by: by)
        // Valued once, so its history records money (shown only with Financial figures).
        _ = try store.updateProject(id: salesCase.id, ProjectChanges(expectedValue: .some(Decimal(5000)), expectedCurrency: "EUR"),
                                    expectedVersion: nil, by: by)
        let salesCaseToLose = try store.createSalesCase(customerID: other.id, StoredProjectFields(name: "Long shot"), by: by)
        let project = try store.createProject(customerID: other.id, StoredProjectFields(name: "Rollout", currency: "EUR"), by: by)
        _ = try store.setForecast(projectID: project.id, month: "2027-01", revenue: 100, cost: 40, billing: 100, hours: 10, by: by)
        let projectTask = try store.addProjectTask(projectID: project.id, name: "Plan", assigneeID: nil, dueOn: nil, by: by)
        let upload = try store.beginUpload(customerID: other.id, projectID: nil, name: "spec.txt", expectedSize: 5,
                                           expectedSHA256: nil, by: by)
        try upload.append(Array("hello".utf8))
        let file = try upload.finish()
        let link = try store.addLink(customerID: other.id, projectID: nil, url: "example.com", title: "Site", by: by)
        let invoice = try store.issueInvoice(customerID: other.id, contactID: nil, total: 10, currency: "EUR",
                                             description: nil, settingsSnapshot: nil, by: by)
        for segment in [PermissionSeed.segment, "Temporary"] { _ = try store.createSegment(name: segment, parentID: nil) }
        for industry in [PermissionSeed.industry, "Energy", "Retail"] { _ = try store.createIndustry(name: industry) }
        return PermissionSeed(
            bossUID: bossUID, ownCustomer: own.id, ownContact: ownContact.id, ownAddress: ownAddress.id,
            otherCustomer: other.id, otherCustomerNumber: other.number, deletableCustomer: deletable.id,
            headOffice: addresses[0], secondAddress: addresses[1], thirdAddress: addresses[2], contact: contact.id,
            deletableContact: deletableContact.id, task: task.id, deletableNote: deletableNote.id, salesCase: salesCase.id, salesCaseToLose: salesCaseToLose.id, project: project.id,
            projectTask: projectTask.id, file: file.id, link: link.id, invoice: invoice.id)
    }
}

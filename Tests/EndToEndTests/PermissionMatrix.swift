import CustomerClient
import Foundation

/// The built-in profiles, by name.
enum BuiltIn: String, CaseIterable, Sendable, CustomStringConvertible {
    case administrator = "Administrator"
    case sales = "Sales"
    case consultant = "Consultant"
    case readOnly = "Read only"

    var description: String { rawValue }
}

/// One row of the permission matrix: a call of one method against records of a customer the
/// caller is NOT the account manager of, and the built-in profiles that may make it.
struct MatrixRow: Sendable {
    let allowed: Set<BuiltIn>
    let call: @Sendable (CustomerClient, PermissionSeed) async throws -> Void

    init(_ allowed: Set<BuiltIn>, _ call: @escaping @Sendable (CustomerClient, PermissionSeed) async throws -> Void) {
        self.allowed = allowed
        self.call = call
    }
}

/// Every method the server registers, with what each built-in profile may do (docs/PERMISSIONS.md,
/// the table). A method without a row fails the matrix test: a new method needs one here.
enum PermissionMatrix {
    static let everyone = Set(BuiltIn.allCases)
    static let administrators: Set<BuiltIn> = [.administrator]
    /// Customers: read for all customers.
    static let readers: Set<BuiltIn> = [.administrator, .sales, .readOnly]
    /// Manage contacts, and Customers: read for all customers.
    static let contactManagers: Set<BuiltIn> = [.administrator, .sales]
    /// Financial figures, and Customers: read for all customers.
    static let financialReaders: Set<BuiltIn> = [.administrator, .sales]

    static let rows: [String: MatrixRow] = [
        // Lists and streams answer everyone with Customers: read; own scope is filtered, not refused.
        "customer.v1.CustomerService/CreateCustomer": MatrixRow(administrators) { client, _ in
            _ = try await client.customers.create(CustomerFields(name: "Made in the matrix"))
        },
        "customer.v1.CustomerService/GetCustomer": MatrixRow(readers) { client, seed in
            _ = try await client.customers.get(id: seed.otherCustomer)
        },
        "customer.v1.CustomerService/UpdateCustomer": MatrixRow(administrators) { client, seed in
            _ = try await client.customers.update(id: seed.otherCustomer, CustomerFields(description: "changed"))
        },
        "customer.v1.CustomerService/ListCustomers": MatrixRow(everyone) { client, _ in
            _ = try await client.customers.list(CustomerQuery(status: .all))
        },
        "customer.v1.CustomerService/StreamCustomers": MatrixRow(everyone) { client, _ in
            for try await _ in client.customers.stream(CustomerQuery(status: .all)) {}
        },
        "customer.v1.CustomerService/ImportCustomers": MatrixRow(administrators) { client, _ in
            _ = try await client.customers.importRecords(ImportOptions()) { send in
                try await send([CustomerRecord(line: 2, fields: CustomerFields(name: "Imported in the matrix"))])
            }
        },
        "customer.v1.CustomerService/ExportCustomers": MatrixRow(everyone) { client, _ in
            for try await _ in client.customers.export(CustomerQuery(status: .all)) {}
        },
        // The change feed answers everyone with Customers: read, own scope filtered (ChangeFeedTests).
        "customer.v1.ChangeFeedService/WatchChanges": MatrixRow(everyone) { client, _ in
            for try await _ in client.changes.watch(after: 0) { break }
        },
        "customer.v1.ChangeFeedService/GetFeedBounds": MatrixRow(everyone) { client, _ in
            _ = try await client.changes.bounds()
        },
        "customer.v1.ChangeFeedService/SnapshotCustomers": MatrixRow(everyone) { client, _ in
            for try await _ in client.changes.snapshot(CustomerQuery(status: .all)) {}
        },
        "customer.v1.CustomerService/DeactivateCustomer": MatrixRow(administrators) { client, seed in
            _ = try await client.customers.deactivate(id: seed.otherCustomer)
        },
        "customer.v1.CustomerService/ActivateCustomer": MatrixRow(administrators) { client, seed in
            _ = try await client.customers.activate(id: seed.otherCustomer)
        },
        "customer.v1.CustomerService/DeleteCustomer": MatrixRow(administrators) { client, seed in
            try await client.customers.delete(id: seed.deletableCustomer, confirm: true)
        },
        // Pairs name every account manager's customers: Customers read for all customers.
        "customer.v1.CustomerService/FindDuplicates": MatrixRow(readers) { client, _ in
            _ = try await client.customers.findDuplicates()
        },
        // A dry run (the check is the merge's own) of two customers every row leaves in place.
        "customer.v1.CustomerService/MergeCustomers": MatrixRow(administrators) { client, seed in
            _ = try await client.customers.merge(keep: seed.otherCustomer, absorb: seed.ownCustomer, dryRun: true)
        },

        "customer.v1.UserService/AddUser": MatrixRow(administrators) { client, _ in
            _ = try await client.users.add(uid: PermissionSeeder.uid(7777), name: "newcomer")
        },
        "customer.v1.UserService/ListUsers": MatrixRow(administrators) { client, _ in
            _ = try await client.users.list()
        },
        "customer.v1.UserService/WhoAmI": MatrixRow(everyone) { client, _ in
            _ = try await client.users.whoAmI()
        },
        "customer.v1.UserService/SetUserProfile": MatrixRow(administrators) { client, _ in
            _ = try await client.users.setProfile(user: PermissionSeed.spare, profile: "Consultant")
        },
        "customer.v1.UserService/DeactivateUser": MatrixRow(administrators) { client, _ in
            _ = try await client.users.deactivate(user: PermissionSeed.spare)
        },
        "customer.v1.UserService/ActivateUser": MatrixRow(administrators) { client, _ in
            _ = try await client.users.activate(user: PermissionSeed.spare)
        },
        "customer.v1.UserService/SetTrustedService": MatrixRow(administrators) { client, _ in
            _ = try await client.users.setTrustedService(user: PermissionSeed.spare)
        },

        "customer.v1.MaintenanceService/Backup": MatrixRow(administrators) { client, _ in
            let target = FileManager.default.temporaryDirectory.path + "/cc-matrix-backup-\(UUID().uuidString.prefix(8))"
            defer { try? FileManager.default.removeItem(atPath: target) }
            _ = try await client.maintenance.backup(to: target)
        },

        "customer.v1.ProfileService/CreateProfile": MatrixRow(administrators) { client, _ in
            _ = try await client.profiles.create(name: "Matrix", rights: Rights(readCustomers: .own))
        },
        "customer.v1.ProfileService/UpdateProfile": MatrixRow(administrators) { client, _ in
            _ = try await client.profiles.update(name: PermissionSeed.customProfile, rights: RightsChanges(financialFigures: true))
        },
        "customer.v1.ProfileService/ListProfiles": MatrixRow(administrators) { client, _ in
            _ = try await client.profiles.list()
        },
        "customer.v1.ProfileService/GetProfile": MatrixRow(administrators) { client, _ in
            _ = try await client.profiles.get(name: PermissionSeed.customProfile)
        },

        "customer.v1.AddressService/AddAddress": MatrixRow(administrators) { client, seed in
            _ = try await client.addresses.add(customerID: seed.otherCustomer, AddressFields(city: "Uppsala", country: "SE"))
        },
        "customer.v1.AddressService/UpdateAddress": MatrixRow(administrators) { client, seed in
            _ = try await client.addresses.update(id: seed.secondAddress, AddressFields(postalCode: "211 22"))
        },
        "customer.v1.AddressService/RemoveAddress": MatrixRow(administrators) { client, seed in
            _ = try await client.addresses.remove(id: seed.thirdAddress)
        },
        "customer.v1.AddressService/ListAddresses": MatrixRow(readers) { client, seed in
            _ = try await client.addresses.list(customerID: seed.otherCustomer)
        },
        "customer.v1.AddressService/SetHeadOffice": MatrixRow(administrators) { client, seed in
            _ = try await client.addresses.setHeadOffice(id: seed.secondAddress)
        },
        "customer.v1.AddressService/GetInvoicingReadiness": MatrixRow(readers) { client, seed in
            _ = try await client.addresses.invoicingReadiness(customerID: seed.otherCustomer)
        },

        "customer.v1.ContactService/CreateContact": MatrixRow(contactManagers) { client, seed in
            _ = try await client.contacts.create(customerID: seed.otherCustomer, ContactFields(lastName: "Matrix"))
        },
        "customer.v1.ContactService/UpdateContact": MatrixRow(contactManagers) { client, seed in
            _ = try await client.contacts.update(id: seed.contact, ContactFields(title: "CEO"))
        },
        "customer.v1.ContactService/GetContact": MatrixRow(readers) { client, seed in
            _ = try await client.contacts.get(id: seed.contact)
        },
        "customer.v1.ContactService/ListContacts": MatrixRow(readers) { client, seed in
            _ = try await client.contacts.list(customerID: seed.otherCustomer)
        },
        "customer.v1.ContactService/DeactivateContact": MatrixRow(contactManagers) { client, seed in
            _ = try await client.contacts.deactivate(id: seed.contact)
        },
        "customer.v1.ContactService/ActivateContact": MatrixRow(contactManagers) { client, seed in
            _ = try await client.contacts.activate(id: seed.contact)
        },
        "customer.v1.ContactService/DeleteContact": MatrixRow(contactManagers) { client, seed in
            _ = try await client.contacts.delete(id: seed.deletableContact, confirm: true)
        },
        "customer.v1.ContactService/TagContact": MatrixRow(contactManagers) { client, seed in
            _ = try await client.contacts.tag(id: seed.contact, roles: ["buyer"])
        },
        "customer.v1.ContactService/UntagContact": MatrixRow(contactManagers) { client, seed in
            _ = try await client.contacts.untag(id: seed.contact, roles: ["buyer"])
        },
        "customer.v1.ContactService/StreamMailingList": MatrixRow(everyone) { client, _ in
            for try await _ in client.contacts.mailingList(keyword: PermissionSeed.keyword) {}
        },

        "customer.v1.LabelService/CreateLabel": MatrixRow(administrators) { client, _ in
            _ = try await client.labels.create(.keyword, name: "fresh")
        },
        "customer.v1.LabelService/RenameLabel": MatrixRow(administrators) { client, _ in
            _ = try await client.labels.rename(.keyword, name: "temp", to: "renamed")
        },
        "customer.v1.LabelService/DeleteLabel": MatrixRow(administrators) { client, _ in
            _ = try await client.labels.delete(.keyword, name: "gone", force: true)
        },
        "customer.v1.LabelService/ListLabels": MatrixRow(everyone) { client, _ in
            _ = try await client.labels.list(.keyword)
        },

        "customer.v1.ActivityService/AddNote": MatrixRow(administrators) { client, seed in
            _ = try await client.activities.note(customerID: seed.otherCustomer, "Matrix note")
        },
        "customer.v1.ActivityService/AddTask": MatrixRow(administrators) { client, seed in
            _ = try await client.activities.task(customerID: seed.otherCustomer, "Matrix task")
        },
        "customer.v1.ActivityService/AddEvent": MatrixRow(administrators) { client, seed in
            let start = Date(timeIntervalSince1970: 1_900_000_000)
            _ = try await client.activities.event(
                customerID: seed.otherCustomer, "Matrix meeting", from: start, to: start.addingTimeInterval(3_600))
        },
        "customer.v1.ActivityService/CompleteTask": MatrixRow(administrators) { client, seed in
            _ = try await client.activities.complete(taskID: seed.task)
        },
        "customer.v1.ActivityService/ReopenTask": MatrixRow(administrators) { client, seed in
            _ = try await client.activities.reopen(taskID: seed.task)
        },
        "customer.v1.ActivityService/UpdateActivity": MatrixRow(administrators) { client, seed in
            _ = try await client.activities.update(UpdateActivityRequest(id: seed.task, subject: "Call back soon"))
        },
        "customer.v1.ActivityService/DeleteActivity": MatrixRow(administrators) { client, seed in
            try await client.activities.delete(id: seed.deletableNote)
        },
        "customer.v1.ActivityService/ListActivities": MatrixRow(readers) { client, seed in
            _ = try await client.activities.list(customerID: seed.otherCustomer)
        },

        "customer.v1.HistoryService/ListHistory": MatrixRow(readers) { client, seed in
            _ = try await client.history.list(.customer, id: seed.otherCustomer)
        },
        "customer.v1.CardService/GetCustomerCard": MatrixRow(readers) { client, seed in
            _ = try await client.cards.get(customerID: seed.otherCustomer)
        },

        // A dry run changes nothing: Customers read is enough (the real run is in RegistryStandingTests).
        "customer.v1.CustomerService/RefreshFromRegistry": MatrixRow(readers) { client, seed in
            do {
                _ = try await client.customers.refreshFromRegistry(id: seed.otherCustomer, dryRun: true)
            } catch let error as RPCError where error.code == .failedPrecondition {
                // Past the permission check: refused for the customer's country, which is the point.
            }
        },

        "customer.v1.ProjectService/CreateProject": MatrixRow(administrators) { client, seed in
            _ = try await client.projects.createProject(customerID: seed.otherCustomer, ProjectFields(name: "New"))
        },
        "customer.v1.ProjectService/UpdateProject": MatrixRow(administrators) { client, seed in
            _ = try await client.projects.update(id: seed.project, ProjectFields(name: "Renamed"))
        },
        "customer.v1.ProjectService/GetProject": MatrixRow(readers) { client, seed in
            _ = try await client.projects.get(id: seed.project)
        },
        "customer.v1.ProjectService/ListProjects": MatrixRow(readers) { client, seed in
            _ = try await client.projects.list(customerID: seed.otherCustomer)
        },
        "customer.v1.ProjectService/WinSalesCase": MatrixRow(administrators) { client, seed in
            _ = try await client.projects.win(salesCaseID: seed.salesCase)
        },
        "customer.v1.ProjectService/LoseSalesCase": MatrixRow(administrators) { client, seed in
            _ = try await client.projects.lose(salesCaseID: seed.salesCaseToLose, reason: "Price")
        },
        "customer.v1.CollaborationService/AddProjectTask": MatrixRow(administrators) { client, seed in
            _ = try await client.projects.addTask(projectID: seed.project, "More")
        },
        "customer.v1.CollaborationService/SetProjectTaskStatus": MatrixRow(administrators) { client, seed in
            _ = try await client.projects.setTaskStatus(id: seed.projectTask, .done)
        },
        "customer.v1.CollaborationService/AddNote": MatrixRow(administrators) { client, seed in
            _ = try await client.projects.addNote(projectID: seed.project, "Hello")
        },
        "customer.v1.CollaborationService/ListCollaboration": MatrixRow(readers) { client, seed in
            _ = try await client.projects.collaboration(customerID: seed.otherCustomer)
        },
        "customer.v1.FinancialService/SetForecast": MatrixRow(administrators) { client, seed in
            _ = try await client.projects.setForecast(
                SetForecastRequest(projectId: seed.project, month: "2027-02", revenue: 1, cost: 1, billing: 1, hours: 1))
        },
        "customer.v1.FinancialService/RemoveForecast": MatrixRow(administrators) { client, seed in
            try await client.projects.removeForecast(projectID: seed.project, month: "2027-01")
        },
        "customer.v1.FinancialService/ListForecasts": MatrixRow(financialReaders) { client, seed in
            _ = try await client.projects.forecasts(projectID: seed.project)
        },
        "customer.v1.FinancialService/GetFinancialSummary": MatrixRow(financialReaders) { client, seed in
            _ = try await client.projects.financialSummary(customerID: seed.otherCustomer)
        },
        "customer.v1.SettingsService/GetSettings": MatrixRow(readers) { client, seed in
            _ = try await client.settings.get(customerID: seed.otherCustomer)
        },
        "customer.v1.SettingsService/UpdateSettings": MatrixRow(administrators) { client, seed in
            _ = try await client.settings.update(customerID: seed.otherCustomer, CustomerSettingsFields(paymentTermDays: 30))
        },
        "customer.v1.SettingsService/CreateSegment": MatrixRow(administrators) { client, _ in
            _ = try await client.settings.createSegment("Baltics")
        },
        "customer.v1.SettingsService/UpdateSegment": MatrixRow(administrators) { client, _ in
            let segment = try await client.settings.segments().first { $0.name == PermissionSeed.segment }
            _ = try await client.settings.updateSegment(UpdateSegmentRequest(id: segment?.id ?? 0, name: "Norden"))
        },
        "customer.v1.SettingsService/DeleteSegment": MatrixRow(administrators) { client, _ in
            let segment = try await client.settings.segments().first { $0.name == "Temporary" }
            try await client.settings.deleteSegment(id: segment?.id ?? 0)
        },
        "customer.v1.SettingsService/ListSegments": MatrixRow(everyone) { client, _ in
            _ = try await client.settings.segments()
        },
        "customer.v1.SettingsService/SetCustomerSegments": MatrixRow(administrators) { client, seed in
            try await client.settings.setCustomerSegments(customerID: seed.otherCustomer, [])
        },
        "customer.v1.SettingsService/CreateIndustry": MatrixRow(administrators) { client, _ in
            _ = try await client.settings.createIndustry("Forestry")
        },
        "customer.v1.SettingsService/RenameIndustry": MatrixRow(administrators) { client, _ in
            _ = try await client.settings.renameIndustry(PermissionSeed.industry, to: "Quarrying")
        },
        "customer.v1.SettingsService/DeleteIndustry": MatrixRow(administrators) { client, _ in
            try await client.settings.deleteIndustry("Retail")
        },
        "customer.v1.SettingsService/ListIndustries": MatrixRow(everyone) { client, _ in
            _ = try await client.settings.industries()
        },
        "customer.v1.FileService/DownloadFile": MatrixRow(readers) { client, seed in
            for try await _ in client.files.download(id: seed.file) {}
        },
        "customer.v1.FileService/UploadFile": MatrixRow(administrators) { client, seed in
            _ = try await client.files.upload(customerID: seed.otherCustomer, name: "up.txt", data: Data("x".utf8))
        },
        "customer.v1.FileService/RenameFile": MatrixRow(administrators) { client, seed in
            _ = try await client.files.rename(id: seed.file, to: "renamed.txt")
        },
        "customer.v1.FileService/RemoveFile": MatrixRow(administrators) { client, seed in
            try await client.files.remove(id: seed.file)
        },
        "customer.v1.FileService/AddLink": MatrixRow(administrators) { client, seed in
            _ = try await client.files.addLink(customerID: seed.otherCustomer, url: "example.org", title: "Org")
        },
        "customer.v1.FileService/RenameLink": MatrixRow(administrators) { client, seed in
            _ = try await client.files.renameLink(id: seed.link, to: "Home")
        },
        "customer.v1.FileService/RemoveLink": MatrixRow(administrators) { client, seed in
            try await client.files.removeLink(id: seed.link)
        },
        "customer.v1.FileService/ListFiles": MatrixRow(readers) { client, seed in
            _ = try await client.files.list(customerID: seed.otherCustomer)
        },
        "customer.v1.InvoiceService/IssueInvoice": MatrixRow(administrators) { client, seed in
            _ = try await client.invoices.issue(IssueInvoiceRequest(customerId: seed.otherCustomer, total: 5, currency: "EUR"))
        },
        "customer.v1.InvoiceService/GetInvoice": MatrixRow(readers) { client, seed in
            _ = try await client.invoices.get(id: seed.invoice)
        },
        "customer.v1.InvoiceService/ListInvoices": MatrixRow(readers) { client, seed in
            _ = try await client.invoices.list(customerID: seed.otherCustomer)
        },
        "customer.v1.DossierService/GetCustomerDossier": MatrixRow(readers) { client, seed in
            _ = try await client.customers.dossier(id: seed.otherCustomer)
        },
        "customer.v1.DossierService/GetContactDossier": MatrixRow(readers) { client, seed in
            _ = try await client.contacts.dossier(id: seed.contact)
        },
        "customer.v1.ServerStatusService/GetStoreStatus": MatrixRow(everyone) { client, _ in
            _ = try await client.server.storeStatus()
        },
    ]
}

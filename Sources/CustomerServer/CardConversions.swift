import CustomerAPI
import CustomerStore
import Foundation
import RPCServing

// Store records to API messages for the sales, collaboration, financial, settings and files tabs.

/// The API's messages of the store's tabs other than the contact information (which the card's
/// answer writes from the records), nil when the tab was not read.
extension CardTabs {
    /// The sales cases, then the projects, their money stripped when `caller` may not see it.
    func salesAndProjectsTab(for caller: Caller) -> ProjectList? {
        salesAndProjects.map { ProjectList(projects: caller.shown(($0.salesCases + $0.projects).map(Project.init))) }
    }

    var collaborationTab: CollaborationTab? {
        collaboration.map { CollaborationTab(items: $0.map(CollaborationItem.init)) }
    }

    var financialTab: CustomerAPI.FinancialTab? {
        financial.map(CustomerAPI.FinancialTab.init)
    }

    var settingsTab: SettingsTab? {
        settings.map { SettingsTab(settings: CustomerSettings($0.settings), segments: $0.segments.map(Segment.init)) }
    }

    var filesTab: FilesTab? {
        files.map { FilesTab(files: $0.files, links: $0.links) }
    }
}

extension Project {
    init(_ stored: StoredProject) {
        self.init(
            id: stored.id, customerId: stored.customerID, kind: stored.kind == .salesCase ? .salesCase : .project,
            name: stored.name, stage: stored.stage, probability: stored.probability.map { Int32($0) },
            expectedValue: stored.expectedValue, expectedCurrency: stored.expectedCurrency,
            expectedClose: stored.expectedClose, outcome: stored.outcome.map(Outcome.init), lostReason: stored.lostReason,
            number: stored.number, status: stored.status.map { $0 == .open ? .open : .closed },
            manager: stored.manager.map(UserRef.init), startsOn: stored.startsOn, endsOn: stored.endsOn,
            currency: stored.currency, version: stored.version, createdAt: stored.createdAt,
            createdBy: UserRef(stored.createdBy), updatedAt: stored.updatedAt, updatedBy: UserRef(stored.updatedBy))
    }
}

extension Project.Outcome {
    init(_ stored: ProjectOutcome) {
        switch stored {
        case .open: self = .open
        case .won: self = .won
        case .lost: self = .lost
        }
    }
}

extension Project.Status {
    var stored: ProjectStatus { self == .open ? .open : .closed }
}

extension CustomerAPI.ListProjectsRequest.Filter {
    var stored: ProjectFilter {
        switch self {
        case .all: return .all
        case .salesCases: return .salesCases
        case .projects: return .projects
        case .open: return .open
        case .closed: return .closed
        }
    }
}

extension ProjectFields {
    /// The store's fields for a new sales case or project; the manager is resolved by name.
    func storedForCreate(resolvingWith store: CustomerStore) throws -> StoredProjectFields {
        StoredProjectFields(
            name: name ?? "", stage: stage, probability: probability.map { Int($0) }, expectedValue: expectedValue,
            expectedCurrency: expectedCurrency, expectedClose: expectedClose, number: number, status: status?.stored,
            managerID: try manager.map { try store.userID(named: $0, field: "manager") }, startsOn: startsOn,
            endsOn: endsOn, currency: currency)
    }

    /// The store's partial changes: absent fields stay; "" clears a text or the manager.
    func storedChanges(resolvingWith store: CustomerStore) throws -> ProjectChanges {
        var changes = ProjectChanges()
        changes.name = name
        changes.stage = stage
        if let probability { changes.probability = .some(Int(probability)) }
        if let expectedValue { changes.expectedValue = .some(expectedValue) }
        changes.expectedCurrency = expectedCurrency
        changes.expectedClose = expectedClose
        changes.number = number
        changes.status = status?.stored
        if let manager {
            changes.managerID = manager.isEmpty ? .some(nil) : .some(try store.userID(named: manager, field: "manager"))
        }
        changes.startsOn = startsOn
        changes.endsOn = endsOn
        changes.currency = currency
        return changes
    }
}

extension ProjectTask {
    init(_ stored: StoredProjectTask) {
        self.init(
            id: stored.id, projectId: stored.projectID, projectName: stored.projectName, name: stored.name,
            assignee: stored.assignee.map(UserRef.init), dueOn: stored.dueOn,
            status: stored.status == .done ? .done : .planned, completedAt: stored.completedAt,
            completedBy: stored.completedBy.map(UserRef.init), version: stored.version, createdAt: stored.createdAt,
            createdBy: UserRef(stored.createdBy), updatedAt: stored.updatedAt, updatedBy: UserRef(stored.updatedBy))
    }
}

extension CollaborationNote {
    init(_ stored: StoredCollaborationNote) {
        self.init(
            id: stored.id, projectId: stored.projectID, projectName: stored.projectName,
            author: UserRef(stored.author), text: stored.text, createdAt: stored.createdAt)
    }
}

extension CollaborationItem {
    init(_ stored: StoredCollaborationItem) {
        switch stored {
        case .task(let task): self.init(task: ProjectTask(task))
        case .note(let note): self.init(note: CollaborationNote(note))
        }
    }
}

extension Forecast {
    init(_ stored: StoredForecast) {
        self.init(
            projectId: stored.projectID, month: stored.month, revenue: stored.revenue, cost: stored.cost,
            billing: stored.billing, hours: stored.hours, currency: stored.currency)
    }
}

extension MonthFigures {
    init(month: String?, _ figures: FinancialFigures) {
        self.init(
            month: month, revenue: figures.revenue, cost: figures.cost, billing: figures.billing, hours: figures.hours,
            margin: figures.margin, marginPercent: figures.marginPercent)
    }
}

extension CustomerAPI.FinancialTab {
    init(_ stored: FinancialSummary) {
        self.init(
            from: stored.from, to: stored.to,
            currencies: stored.currencies.map { currency in
                CurrencySummary(
                    currency: currency.currency,
                    months: currency.months.map { MonthFigures(month: $0.month, $0.figures) },
                    total: MonthFigures(month: nil, currency.total))
            })
    }
}

extension CustomerSettings {
    init(_ stored: StoredCustomerSettings) {
        self.init(
            customerId: stored.customerID, invoiceChannel: stored.invoiceChannel.map(InvoiceChannel.init),
            invoiceEmail: stored.invoiceEmail, eInvoiceAddress: stored.eInvoiceAddress,
            eInvoiceOperator: stored.eInvoiceOperator, paymentTermDays: stored.paymentTermDays.map { Int32($0) },
            currency: stored.currency, vatRate: stored.vatRate, invoiceLanguage: stored.invoiceLanguage,
            reference: stored.reference, invoiceTemplate: stored.invoiceTemplate, version: stored.version,
            updatedAt: stored.updatedAt, updatedBy: stored.updatedBy.map(UserRef.init))
    }
}

extension CustomerSettings.InvoiceChannel {
    init(_ stored: StoredInvoiceChannel) {
        switch stored {
        case .email: self = .email
        case .eInvoice: self = .eInvoice
        case .paper: self = .paper
        }
    }

    var stored: StoredInvoiceChannel {
        switch self {
        case .email: return .email
        case .eInvoice: return .eInvoice
        case .paper: return .paper
        }
    }
}

extension CustomerAPI.CustomerSettingsFields {
    var storedChanges: CustomerSettingsChanges {
        var changes = CustomerSettingsChanges()
        if let invoiceChannel { changes.invoiceChannel = .some(invoiceChannel.stored) }
        changes.invoiceEmail = invoiceEmail
        changes.eInvoiceAddress = eInvoiceAddress
        changes.eInvoiceOperator = eInvoiceOperator
        if let paymentTermDays { changes.paymentTermDays = .some(Int(paymentTermDays)) }
        changes.currency = currency
        changes.vatRate = vatRate.map { "\($0)" }
        changes.invoiceLanguage = invoiceLanguage
        changes.reference = reference
        changes.invoiceTemplate = invoiceTemplate
        return changes
    }
}

extension Segment {
    init(_ stored: StoredSegment) {
        self.init(id: stored.id, parentId: stored.parentID, name: stored.name, path: stored.path, customerCount: stored.customerCount)
    }
}

extension Industry {
    init(_ stored: StoredIndustry) {
        self.init(id: stored.id, name: stored.name, customerCount: stored.customerCount)
    }
}

extension CustomerAPI.FileInfo {
    init(_ stored: StoredFile) {
        self.init(
            id: stored.id, customerId: stored.customerID, projectId: stored.projectID, projectName: stored.projectName,
            name: stored.name, size: stored.size, sha256: stored.sha256, contentType: stored.contentType,
            createdAt: stored.createdAt, createdBy: UserRef(stored.createdBy), updatedAt: stored.updatedAt,
            updatedBy: UserRef(stored.updatedBy))
    }
}

extension CustomerAPI.Link {
    init(_ stored: StoredLink) {
        self.init(
            id: stored.id, customerId: stored.customerID, projectId: stored.projectID, projectName: stored.projectName,
            url: stored.url, title: stored.title ?? "", createdAt: stored.createdAt, createdBy: UserRef(stored.createdBy),
            updatedAt: stored.updatedAt, updatedBy: UserRef(stored.updatedBy))
    }
}

extension CustomerAPI.FilesTab {
    init(files: [StoredFile], links: [StoredLink]) {
        self.init(files: files.map(CustomerAPI.FileInfo.init), links: links.map(CustomerAPI.Link.init))
    }
}

extension Invoice {
    /// The stored snapshot; the settings were snapshotted as JSON of the API's `CustomerSettings`.
    init(_ stored: StoredInvoice) {
        let settings = stored.settingsSnapshot.flatMap {
            try? JSONDecoder().decode(CustomerSettings.self, from: Data($0.utf8))
        }
        let headOffice = stored.headOffice.map {
            Address.oneLine(
                street: $0.street, postalCode: $0.postalCode, city: $0.city, region: $0.region, country: $0.country)
        }
        self.init(
            id: stored.id, customerId: stored.customerID, number: stored.number, issuedAt: stored.issuedAt,
            issuedBy: UserRef(stored.issuedBy), customerName: stored.customerName, headOffice: headOffice,
            contactName: stored.contactName, settings: settings, currency: stored.currency, total: stored.total,
            description: stored.description)
    }
}

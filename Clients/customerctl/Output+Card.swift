import CustomerClient
import Foundation
import ServiceLog

/// Output of the sales, collaboration, financial, settings and files tabs.
extension Output {
    static func describe(_ money: Decimal?, _ currency: String?, hidden: Bool?) -> String {
        if hidden == true { return "hidden" }
        guard let money else { return "-" }
        return MoneyText.format(money, currency: currency) + (currency.map { " \($0)" } ?? "")
    }

    func project(_ project: Project) throws {
        guard format == .table else { return try printJSON(project) }
        var fields = FieldList()
        fields.add("id", String(project.id))
        fields.add("customer", String(project.customerId))
        fields.add("kind", project.kind == .salesCase ? "sales case" : "project")
        fields.add("name", project.name)
        if project.kind == .salesCase || project.outcome == .won {
            fields.add("stage", project.stage)
            fields.add("probability", project.probability.map { "\($0) %" })
            fields.add("expected value", Self.describe(project.expectedValue, project.expectedCurrency, hidden: project.moneyHidden))
            fields.add("expected close", project.expectedClose)
            fields.add("outcome", project.outcome.map { "\($0)" })
            fields.add("lost reason", project.lostReason)
        }
        if project.kind == .project {
            fields.add("number", project.number.map(String.init))
            fields.add("status", project.status.map { "\($0)" })
            fields.add("manager", project.manager?.name)
            fields.add("starts", project.startsOn)
            fields.add("ends", project.endsOn)
            fields.add("currency", project.currency)
        }
        fields.add("version", String(project.version))
        fields.add("updated", "\(Self.timestamp(project.updatedAt)) by \(project.updatedBy.name)")
        print(fields.render(), terminator: "")
    }

    func projects(_ projects: [Project]) throws {
        guard format == .table else { return try printJSON(projects) }
        var table = TextTable(["ID", "KIND", "NUMBER", "NAME", "STATE", "VALUE", "MANAGER"])
        for project in projects {
            let state = project.kind == .salesCase
                ? "\(project.outcome.map { "\($0)" } ?? "open")\(project.stage.map { ", \($0)" } ?? "")"
                : (project.status.map { "\($0)" } ?? "-")
            table.append([
                String(project.id), project.kind == .salesCase ? "sales case" : "project", project.number.map(String.init) ?? "-",
                project.name, state, Self.describe(project.expectedValue, project.expectedCurrency, hidden: project.moneyHidden),
                project.manager?.name ?? "-",
            ])
        }
        print(table.render(), terminator: "")
    }

    func collaboration(_ items: [CollaborationItem]) throws {
        guard format == .table else { return try printJSON(items) }
        // The id is what `tasks done ID` and `tasks reopen ID` need.
        var table = TextTable(["ID", "WHEN", "PROJECT", "KIND", "TEXT", "WHO", "STATUS"])
        for item in items {
            if let task = item.task {
                table.append([String(task.id), Self.timestamp(task.createdAt), task.projectName, "task", task.name, task.assignee?.name ?? "-",
                              task.status == .done ? "done" : "planned\(task.dueOn.map { ", due \($0)" } ?? "")"])
            } else if let note = item.note {
                table.append([String(note.id), Self.timestamp(note.createdAt), note.projectName, "note", note.text, note.author.name, "-"])
            }
        }
        print(table.render(), terminator: "")
    }

    func task(_ task: ProjectTask) throws {
        try collaboration([CollaborationItem(task: task)])
    }

    func forecasts(_ forecasts: [Forecast]) throws {
        guard format == .table else { return try printJSON(forecasts) }
        var table = TextTable(["MONTH", "REVENUE", "COST", "BILLING", "HOURS", "CURRENCY"])
        for forecast in forecasts {
            let money = { (amount: Decimal) in MoneyText.format(amount, currency: forecast.currency) }
            table.append([forecast.month, money(forecast.revenue), money(forecast.cost), money(forecast.billing), "\(forecast.hours)",
                          forecast.currency])
        }
        print(table.render(), terminator: "")
    }

    func financial(_ tab: FinancialTab) throws {
        guard format == .table else { return try printJSON(tab) }
        if tab.currencies.isEmpty {
            print("  no forecasts")
            return
        }
        for currency in tab.currencies {
            let money = { (amount: Decimal) in MoneyText.format(amount, currency: currency.currency) }
            var table = TextTable(["MONTH", "REVENUE", "COST", "BILLING", "HOURS", "MARGIN", "MARGIN %"])
            for month in currency.months + [currency.total] {
                table.append([
                    month.month ?? "TOTAL", money(month.revenue), money(month.cost), money(month.billing), "\(month.hours)",
                    money(month.margin), month.marginPercent.map { "\($0)" } ?? "-",
                ])
            }
            print(TerminalText.escaped(currency.currency))
            print(table.render(), terminator: "")
        }
    }

    func settings(_ settings: CustomerSettings) throws {
        guard format == .table else { return try printJSON(settings) }
        var fields = FieldList()
        fields.add("invoice channel", settings.invoiceChannel.map { "\($0)" })
        fields.add("invoice email", settings.invoiceEmail)
        fields.add("e-invoice address", settings.eInvoiceAddress)
        fields.add("e-invoice operator", settings.eInvoiceOperator)
        fields.add("payment term", settings.paymentTermDays.map { "\($0) days" })
        fields.add("currency", settings.currency)
        fields.add("VAT rate", settings.vatRate.map { "\($0) %" })
        fields.add("invoice language", settings.invoiceLanguage)
        fields.add("reference", settings.reference)
        fields.add("invoice template", settings.invoiceTemplate)
        fields.add("version", String(settings.version))
        print(fields.render(), terminator: "")
    }

    func segments(_ segments: [Segment]) throws {
        guard format == .table else { return try printJSON(segments) }
        var table = TextTable(["ID", "PATH", "CUSTOMERS"])
        for segment in segments {
            table.append([String(segment.id), segment.pathText, String(segment.customerCount)])
        }
        print(table.render(), terminator: "")
    }

    func industries(_ industries: [Industry]) throws {
        guard format == .table else { return try printJSON(industries) }
        var table = TextTable(["ID", "NAME", "CUSTOMERS"])
        for industry in industries {
            table.append([String(industry.id), industry.name, String(industry.customerCount)])
        }
        print(table.render(), terminator: "")
    }

    func files(_ tab: FilesTab) throws {
        guard format == .table else { return try printJSON(tab) }
        var table = TextTable(["ID", "KIND", "NAME / TITLE", "SIZE / URL", "PROJECT", "UPDATED"])
        for file in tab.files {
            table.append([String(file.id), "file", file.name, "\(file.size) bytes", file.projectName ?? "-", Self.timestamp(file.updatedAt)])
        }
        for link in tab.links {
            table.append([String(link.id), "link", link.title, link.url, link.projectName ?? "-", Self.timestamp(link.updatedAt)])
        }
        print(table.render(), terminator: "")
    }

    func invoices(_ invoices: [Invoice]) throws {
        guard format == .table else { return try printJSON(invoices) }
        var table = TextTable(["ID", "NUMBER", "ISSUED", "CUSTOMER", "CONTACT", "TOTAL"])
        for invoice in invoices {
            table.append([
                String(invoice.id), String(invoice.number), Self.timestamp(invoice.issuedAt), invoice.customerName,
                invoice.contactName ?? "-", Self.describe(invoice.total, invoice.currency, hidden: invoice.moneyHidden),
            ])
        }
        print(table.render(), terminator: "")
    }

    /// The card, tab after tab, as asked for.
    func fullCard(_ card: CustomerCard) throws {
        guard format == .table else { return try printJSON(card) }
        if card.contactInformation != nil {
            try self.card(card)
        } else {
            try customer(card.customer)
        }
        if let sales = card.salesAndProjects {
            print("\nSALES AND PROJECTS")
            if sales.projects.isEmpty { print("  none") } else { try projects(sales.projects) }
        }
        if let collaboration = card.collaboration {
            print("\nCOLLABORATION")
            if collaboration.items.isEmpty { print("  none") } else { try self.collaboration(collaboration.items) }
        }
        if card.financialHidden == true {
            print("\nFINANCIAL\n  hidden (no access to financial figures)")
        } else if let financial = card.financial {
            print("\nFINANCIAL")
            try self.financial(financial)
        }
        if let settings = card.settings {
            print("\nCUSTOMER SETTINGS")
            try self.settings(settings.settings)
            let segments = settings.segments.isEmpty ? "-" : settings.segments.map(\.pathText).joined(separator: "; ")
            print("segments         \(TerminalText.escaped(segments))")
        }
        if let files = card.files {
            print("\nFILES AND LINKS")
            if files.files.isEmpty && files.links.isEmpty { print("  none") } else { try self.files(files) }
        }
    }
}

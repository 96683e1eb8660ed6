import CommandLineKit
import CustomerClient
import Foundation

/// `customerctl projects ...`, `tasks ...`, `notes ...`, `forecasts ...`, `invoices ...`.
enum ProjectCommands {
    typealias Options = ProjectOptions

    static let salesCase = Option.flag("sales-case", help: "Create a sales case (not yet won) instead of a project.")
    static let expectVersion = CommandArguments.expectVersion(of: "it")
    static let filters: [String: ListProjectsRequest.Filter] = [
        "all": .all, "sales-cases": .salesCases, "projects": .projects, "open": .open, "closed": .closed,
    ]
    static let filter = Option.value("filter", "F", help: """
        all (default), sales-cases, projects, open (open projects and sales
        cases) or closed (closed projects and lost sales cases).
        """, choices: ["all", "sales-cases", "projects", "open", "closed"])
    static let reason = Option.value("reason", "TEXT", help: "Why it was lost (required).", required: true)
    static let taskName = Option.value("name", "NAME", help: "What is to be done.", required: true)
    static let assignee = Option.value("assignee", "USER", help: "Who does it (a user name).")
    static let due = Option.value("due", "DATE", help: "Due date (YYYY-MM-DD).")
    static let month = Option.value("month", "YYYY-MM", help: "The month.", required: true)
    static let revenue = Option.value("revenue", "R", help: "Revenue, an exact decimal in the project's currency.", required: true)
    static let cost = Option.value("cost", "C", help: "Cost, an exact decimal in the project's currency.", required: true)
    static let billing = Option.value("billing", "B", help: "To be billed (default 0).")
    static let hours = Option.value("hours", "H", help: "Hours (default 0).")
    static let from = Option.value("from", "YYYY-MM", help: "The period's first month. Default: the first with a forecast.")
    static let to = Option.value("to", "YYYY-MM", help: "The period's last month (inclusive). Default: the last with a forecast.")
    static let total = Option.value("total", "X", help: "The total, an exact decimal (negative for a credit note).", required: true)
    static let invoiceCurrency = Option.value("currency", "C", help: "Default: the customer's invoicing currency.")
    static let invoiceContact = Option.value("contact", "CONTACT_ID", help: "The contact person it is addressed to.")
    static let invoiceDescription = Option.value(
        "description", "D", help: "Free text: line breaks and tabs allowed, no other control characters.")
    static let taskID = Argument("TASK_ID", help: "The project task's id.")

    static let all: [CommandSpec] = projectCommands + forecastCommands + invoiceCommands

    static let projectCommands: [CommandSpec] = [
        CommandSpec(
            ["projects", "create"], summary: "Create a sales case (--sales-case) or a project for a customer.",
            arguments: [CommandArguments.customerID], options: [Options.name.required(), salesCase] + Options.fieldOptions.dropFirst(),
            examples: [
                "customerctl projects create 42 --sales-case --name \"ERP rollout\" --stage offer --probability 60 --value 125000 --value-currency EUR",
                "customerctl projects create 42 --name Website --manager alice --currency EUR",
            ]
        ) { invocation in
            let fields = try Options.fields(invocation)
            let id = try invocation.id(CommandArguments.customerID)
            let project = invocation.flag(salesCase)
                ? try await invocation.client.projects.createSalesCase(customerID: id, fields, options: invocation.callOptions)
                : try await invocation.client.projects.createProject(customerID: id, fields, options: invocation.callOptions)
            try invocation.printer.project(project)
        },
        CommandSpec(
            ["projects", "update"], summary: "Change some fields of a sales case or project.",
            arguments: [CommandArguments.id], options: [expectVersion] + Options.fieldOptions,
            examples: ["customerctl projects update 7 --probability 80"]
        ) { invocation in
            let fields = try Options.fields(invocation)
            guard !fields.isEmpty else { throw UsageError("nothing to change: give at least one option") }
            try invocation.printer.project(
                try await invocation.client.projects.update(
                    id: try invocation.id(), fields, expectedVersion: try invocation.integer(expectVersion),
                    options: invocation.callOptions))
        },
        CommandSpec(
            ["projects", "get"], summary: "Show a sales case or project.", arguments: [CommandArguments.id],
            examples: ["customerctl projects get 7"]
        ) { invocation in
            try invocation.printer.project(try await invocation.client.projects.get(id: try invocation.id(), options: invocation.callOptions))
        },
        CommandSpec(
            ["projects", "list"], summary: "A customer's sales cases and projects.",
            arguments: [CommandArguments.customerID], options: [filter], examples: ["customerctl projects list 42 --filter open"]
        ) { invocation in
            try invocation.printer.projects(
                try await invocation.client.projects.list(
                    customerID: try invocation.id(CommandArguments.customerID),
                    filter: invocation.value(filter).flatMap { filters[$0] } ?? .all, options: invocation.callOptions))
        },
        CommandSpec(
            ["projects", "win"], summary: "Win a sales case: it becomes a project (same id, same history).",
            arguments: [CommandArguments.id], options: Options.fieldOptions,
            examples: ["customerctl projects win 7 --manager alice --start 2027-01-01"]
        ) { invocation in
            try invocation.printer.project(
                try await invocation.client.projects.win(
                    salesCaseID: try invocation.id(), try Options.fields(invocation), options: invocation.callOptions))
        },
        CommandSpec(
            ["projects", "lose"], summary: "Lose a sales case, with the reason.",
            arguments: [CommandArguments.id], options: [reason],
            examples: ["customerctl projects lose 8 --reason \"Went with a competitor\""]
        ) { invocation in
            try invocation.printer.project(
                try await invocation.client.projects.lose(
                    salesCaseID: try invocation.id(), reason: invocation.value(reason) ?? "", options: invocation.callOptions))
        },
        CommandSpec(
            ["tasks", "add"], summary: "Add a task to a sales case or project.",
            arguments: [CommandArguments.projectID], options: [taskName, assignee, due],
            examples: ["customerctl tasks add 7 --name Wireframes --assignee alice --due 2026-12-10"]
        ) { invocation in
            try invocation.printer.task(
                try await invocation.client.projects.addTask(
                    projectID: try invocation.id(CommandArguments.projectID), invocation.value(taskName) ?? "",
                    assignee: invocation.value(assignee), dueOn: invocation.value(due), options: invocation.callOptions))
        },
        taskStatusCommand("done", .done, summary: "Mark a project task done."),
        taskStatusCommand("reopen", .planned, summary: "Put a project task back into planned."),
        CommandSpec(
            ["notes", "add"], summary: "Add a collaboration note to a sales case or project.",
            arguments: [CommandArguments.projectID, CommandArguments.text], examples: ["customerctl notes add 7 \"Kick-off went well\""]
        ) { invocation in
            let note = try await invocation.client.projects.addNote(
                projectID: try invocation.id(CommandArguments.projectID), try invocation.text(CommandArguments.text, at: 1),
                options: invocation.callOptions)
            try invocation.printer.collaboration([CollaborationItem(note: note)])
        },
    ]

    static let forecastCommands: [CommandSpec] = [
        CommandSpec(
            ["forecasts", "set"], summary: "Set a project's forecast for a month (replaces that month).",
            arguments: [CommandArguments.projectID], options: [month, revenue, cost, billing, hours],
            examples: ["customerctl forecasts set 7 --month 2027-01 --revenue 12000 --cost 7500 --billing 12000 --hours 120"]
        ) { invocation in
            let forecast = try await invocation.client.projects.setForecast(
                SetForecastRequest(
                    projectId: try invocation.id(CommandArguments.projectID), month: invocation.value(month) ?? "",
                    revenue: try Options.decimal(invocation, revenue) ?? 0, cost: try Options.decimal(invocation, cost) ?? 0,
                    billing: try Options.decimal(invocation, billing) ?? 0, hours: try Options.decimal(invocation, hours) ?? 0),
                options: invocation.callOptions)
            try invocation.printer.forecasts([forecast])
        },
        CommandSpec(
            ["forecasts", "remove"], summary: "Remove a project's forecast for a month.",
            arguments: [CommandArguments.projectID], options: [month], examples: ["customerctl forecasts remove 7 --month 2027-01"]
        ) { invocation in
            try invocation.printer.forecasts(
                try await invocation.client.projects.removeForecast(
                    projectID: try invocation.id(CommandArguments.projectID), month: invocation.value(month) ?? "",
                    options: invocation.callOptions))
        },
        CommandSpec(
            ["forecasts", "list"], summary: "A project's forecasts by month.", arguments: [CommandArguments.projectID],
            examples: ["customerctl forecasts list 7"]
        ) { invocation in
            try invocation.printer.forecasts(
                try await invocation.client.projects.forecasts(
                    projectID: try invocation.id(CommandArguments.projectID), options: invocation.callOptions))
        },
        CommandSpec(
            ["forecasts", "summary"], summary: "The financial tab: a customer's forecasts by month and in total, per currency.",
            arguments: [CommandArguments.customerID], options: [from, to],
            notes: """
                Margin is revenue - cost; margin % is margin / revenue (none when there is no revenue).
                Currencies are never added together.
                """,
            examples: ["customerctl forecasts summary 42 --from 2027-01 --to 2027-12"]
        ) { invocation in
            try invocation.printer.financial(
                try await invocation.client.projects.financialSummary(
                    customerID: try invocation.id(CommandArguments.customerID), from: invocation.value(from),
                    to: invocation.value(to), options: invocation.callOptions))
        },
    ]

    static let invoiceCommands: [CommandSpec] = [
        CommandSpec(
            ["invoices", "issue"], summary: "Issue an invoice (it keeps a snapshot of the customer, address, contact and settings).",
            arguments: [CommandArguments.customerID], options: [total, invoiceCurrency, invoiceContact, invoiceDescription],
            examples: ["customerctl invoices issue 42 --total 1240.00 --contact 9 --description November"]
        ) { invocation in
            let invoice = try await invocation.client.invoices.issue(
                IssueInvoiceRequest(
                    customerId: try invocation.id(CommandArguments.customerID), contactId: try invocation.integer(invoiceContact),
                    total: try Options.decimal(invocation, total) ?? 0, currency: invocation.value(invoiceCurrency),
                    description: invocation.value(invoiceDescription)),
                options: invocation.callOptions)
            try invocation.printer.invoices([invoice])
        },
        CommandSpec(
            ["invoices", "list"], summary: "A customer's invoices.", arguments: [CommandArguments.customerID],
            examples: ["customerctl invoices list 42"]
        ) { invocation in
            try invocation.printer.invoices(
                try await invocation.client.invoices.list(
                    customerID: try invocation.id(CommandArguments.customerID), options: invocation.callOptions))
        },
        CommandSpec(
            ["invoices", "get"], summary: "Show an invoice as issued.", arguments: [CommandArguments.id],
            examples: ["customerctl invoices get 3 --output json"]
        ) { invocation in
            try invocation.printer.invoices([try await invocation.client.invoices.get(id: try invocation.id(), options: invocation.callOptions)])
        },
    ]

    private static func taskStatusCommand(_ verb: String, _ status: ProjectTask.Status, summary: String) -> CommandSpec {
        CommandSpec(["tasks", verb], summary: summary, arguments: [taskID], examples: ["customerctl tasks \(verb) 12"]) { invocation in
            try invocation.printer.task(
                try await invocation.client.projects.setTaskStatus(id: try invocation.id(taskID), status, options: invocation.callOptions))
        }
    }
}

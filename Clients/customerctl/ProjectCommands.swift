import CommandLineKit
import CustomerClient
import Foundation

/// `customerctl projects ...`, `tasks ...`, `notes ...`, `forecasts ...`, `invoices ...`.
enum ProjectCommands {
    static let projectOptions: Set<String> = [
        "name", "stage", "probability", "value", "value-currency", "close", "number", "status", "manager", "start", "end", "currency",
    ]
    static let projectHelp = """
          --name NAME              The name.
          Sales case:
          --stage S                Stage, e.g. lead, offer, negotiation.
          --probability P          Chance of winning, 0 to 100 (%).
          --value V                Expected value, an exact decimal (e.g. 12500.00).
          --value-currency C       Currency of the expected value (ISO 4217).
          --close DATE             Expected close date (YYYY-MM-DD).
          Project:
          --number N               Project number, 1 to 9999999999 (assigned when not given).
          --status open|closed     Status.
          --manager USER           Project manager (a user name; "" clears).
          --start DATE, --end DATE Start and end dates (YYYY-MM-DD).
          --currency C             The project's currency (ISO 4217).
        """

    static func decimal(_ arguments: ParsedArguments, _ name: String) throws -> Decimal? {
        guard let text = arguments.value(name) else { return nil }
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) else {
            throw UsageError("--\(name) needs an exact decimal number such as 1250.50, got '\(text)'")
        }
        return value
    }

    static func projectFields(_ arguments: ParsedArguments) throws -> ProjectFields {
        var status: Project.Status?
        if let text = arguments.value("status") {
            guard let parsed = ["open": Project.Status.open, "closed": .closed][text] else {
                throw UsageError("--status takes open or closed, got '\(text)'")
            }
            status = parsed
        }
        return ProjectFields(
            name: arguments.value("name"), stage: arguments.value("stage"), probability: try arguments.integer("probability"),
            expectedValue: try decimal(arguments, "value"), expectedCurrency: arguments.value("value-currency"),
            expectedClose: arguments.value("close"), number: try arguments.integer("number"), status: status,
            manager: arguments.value("manager"), startsOn: arguments.value("start"), endsOn: arguments.value("end"),
            currency: arguments.value("currency"))
    }

    static let filters: [String: ListProjectsRequest.Filter] = [
        "all": .all, "sales-cases": .salesCases, "projects": .projects, "open": .open, "closed": .closed,
    ]

    static let all: [CommandSpec] = [
        CommandSpec(
            ["projects", "create"], summary: "Create a sales case (--sales-case) or a project for a customer.",
            usage: "projects create CUSTOMER_ID --name NAME [--sales-case] [project or sales case options]",
            details: """
                OPTIONS:
                  --sales-case             Create a sales case (not yet won) instead of a project.
                \(projectHelp)

                EXAMPLE:
                  customerctl projects create 42 --sales-case --name "ERP rollout" --stage offer --probability 60 --value 125000 --value-currency EUR
                  customerctl projects create 42 --name Website --manager alice --currency EUR

                """,
            options: projectOptions, flags: ["sales-case"], maxPositionals: 1
        ) { invocation in
            let fields = try projectFields(invocation.arguments)
            guard fields.name != nil else { throw UsageError("missing --name") }
            let id = try invocation.requiredID("CUSTOMER_ID")
            let project = invocation.arguments.flag("sales-case")
                ? try await invocation.client.projects.createSalesCase(customerID: id, fields, options: invocation.callOptions)
                : try await invocation.client.projects.createProject(customerID: id, fields, options: invocation.callOptions)
            try Output(format: invocation.output).project(project)
        },
        CommandSpec(
            ["projects", "update"], summary: "Change some fields of a sales case or project.",
            usage: "projects update ID [--expect-version V] [options]",
            details: """
                OPTIONS:
                  --expect-version V       Refuse (ABORTED) if someone changed it since version V.
                \(projectHelp)

                EXAMPLE:
                  customerctl projects update 7 --probability 80

                """,
            options: projectOptions.union(["expect-version"]), maxPositionals: 1
        ) { invocation in
            let fields = try projectFields(invocation.arguments)
            guard !fields.isEmpty else { throw UsageError("nothing to change: give at least one option") }
            try Output(format: invocation.output).project(
                try await invocation.client.projects.update(
                    id: try invocation.requiredID(), fields, expectedVersion: try invocation.arguments.integer("expect-version"),
                    options: invocation.callOptions))
        },
        CommandSpec(
            ["projects", "get"], summary: "Show a sales case or project.", usage: "projects get ID",
            details: "EXAMPLE:\n  customerctl projects get 7\n\n", maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).project(
                try await invocation.client.projects.get(id: try invocation.requiredID(), options: invocation.callOptions))
        },
        CommandSpec(
            ["projects", "list"], summary: "A customer's sales cases and projects.",
            usage: "projects list CUSTOMER_ID [--filter all|sales-cases|projects|open|closed]",
            details: """
                OPTIONS:
                  --filter F               all (default), sales-cases, projects, open (open projects and sales
                                           cases) or closed (closed projects and lost sales cases).

                EXAMPLE:
                  customerctl projects list 42 --filter open

                """,
            options: ["filter"], maxPositionals: 1
        ) { invocation in
            var filter = ListProjectsRequest.Filter.all
            if let text = invocation.arguments.value("filter") {
                guard let parsed = filters[text] else {
                    throw UsageError("unknown filter '\(text)'", suggestion: Suggestion.closest(to: text, among: filters.keys))
                }
                filter = parsed
            }
            try Output(format: invocation.output).projects(
                try await invocation.client.projects.list(
                    customerID: try invocation.requiredID("CUSTOMER_ID"), filter: filter, options: invocation.callOptions))
        },
        CommandSpec(
            ["projects", "win"], summary: "Win a sales case: it becomes a project (same id, same history).",
            usage: "projects win ID [--number N] [--manager USER] [--start DATE] [--end DATE] [--currency C]",
            details: """
                OPTIONS:
                \(projectHelp)

                EXAMPLE:
                  customerctl projects win 7 --manager alice --start 2027-01-01

                """,
            options: projectOptions, maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).project(
                try await invocation.client.projects.win(
                    salesCaseID: try invocation.requiredID(), try projectFields(invocation.arguments), options: invocation.callOptions))
        },
        CommandSpec(
            ["projects", "lose"], summary: "Lose a sales case, with the reason.",
            usage: "projects lose ID --reason TEXT",
            details: "OPTIONS:\n  --reason TEXT            Why it was lost (required).\n\nEXAMPLE:\n  customerctl projects lose 8 --reason \"Went with a competitor\"\n\n",
            options: ["reason"], maxPositionals: 1
        ) { invocation in
            guard let reason = invocation.arguments.value("reason") else { throw UsageError("missing --reason") }
            try Output(format: invocation.output).project(
                try await invocation.client.projects.lose(salesCaseID: try invocation.requiredID(), reason: reason, options: invocation.callOptions))
        },
        CommandSpec(
            ["tasks", "add"], summary: "Add a task to a sales case or project.",
            usage: "tasks add PROJECT_ID --name NAME [--assignee USER] [--due DATE]",
            details: """
                OPTIONS:
                  --name NAME              What is to be done.
                  --assignee USER          Who does it (a user name).
                  --due DATE               Due date (YYYY-MM-DD).

                EXAMPLE:
                  customerctl tasks add 7 --name Wireframes --assignee alice --due 2026-12-10

                """,
            options: ["name", "assignee", "due"], maxPositionals: 1
        ) { invocation in
            guard let name = invocation.arguments.value("name") else { throw UsageError("missing --name") }
            try Output(format: invocation.output).task(
                try await invocation.client.projects.addTask(
                    projectID: try invocation.requiredID("PROJECT_ID"), name, assignee: invocation.arguments.value("assignee"),
                    dueOn: invocation.arguments.value("due"), options: invocation.callOptions))
        },
        taskStatusCommand("done", .done, summary: "Mark a project task done."),
        taskStatusCommand("reopen", .planned, summary: "Put a project task back into planned."),
        CommandSpec(
            ["notes", "add"], summary: "Add a collaboration note to a sales case or project.",
            usage: "notes add PROJECT_ID TEXT",
            details: "EXAMPLE:\n  customerctl notes add 7 \"Kick-off went well\"\n\n", maxPositionals: 2
        ) { invocation in
            guard invocation.arguments.positionals.count == 2 else { throw UsageError("give PROJECT_ID and TEXT") }
            let note = try await invocation.client.projects.addNote(
                projectID: try invocation.requiredID("PROJECT_ID"), invocation.arguments.positionals[1], options: invocation.callOptions)
            try Output(format: invocation.output).collaboration([CollaborationItem(note: note)])
        },
        CommandSpec(
            ["forecasts", "set"], summary: "Set a project's forecast for a month (replaces that month).",
            usage: "forecasts set PROJECT_ID --month YYYY-MM --revenue R --cost C [--billing B] [--hours H]",
            details: """
                OPTIONS:
                  --month YYYY-MM          The month.
                  --revenue R, --cost C    Exact decimals in the project's currency.
                  --billing B              To be billed (default 0).
                  --hours H                Hours (default 0).

                EXAMPLE:
                  customerctl forecasts set 7 --month 2027-01 --revenue 12000 --cost 7500 --billing 12000 --hours 120

                """,
            options: ["month", "revenue", "cost", "billing", "hours"], maxPositionals: 1
        ) { invocation in
            guard let month = invocation.arguments.value("month") else { throw UsageError("missing --month") }
            guard let revenue = try decimal(invocation.arguments, "revenue") else { throw UsageError("missing --revenue") }
            guard let cost = try decimal(invocation.arguments, "cost") else { throw UsageError("missing --cost") }
            let forecast = try await invocation.client.projects.setForecast(
                SetForecastRequest(
                    projectId: try invocation.requiredID("PROJECT_ID"), month: month, revenue: revenue, cost: cost,
                    billing: try decimal(invocation.arguments, "billing") ?? 0, hours: try decimal(invocation.arguments, "hours") ?? 0),
                options: invocation.callOptions)
            try Output(format: invocation.output).forecasts([forecast])
        },
        CommandSpec(
            ["forecasts", "remove"], summary: "Remove a project's forecast for a month.",
            usage: "forecasts remove PROJECT_ID --month YYYY-MM",
            details: "EXAMPLE:\n  customerctl forecasts remove 7 --month 2027-01\n\n", options: ["month"], maxPositionals: 1
        ) { invocation in
            guard let month = invocation.arguments.value("month") else { throw UsageError("missing --month") }
            try Output(format: invocation.output).forecasts(
                try await invocation.client.projects.removeForecast(
                    projectID: try invocation.requiredID("PROJECT_ID"), month: month, options: invocation.callOptions))
        },
        CommandSpec(
            ["forecasts", "list"], summary: "A project's forecasts by month.", usage: "forecasts list PROJECT_ID",
            details: "EXAMPLE:\n  customerctl forecasts list 7\n\n", maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).forecasts(
                try await invocation.client.projects.forecasts(projectID: try invocation.requiredID("PROJECT_ID"), options: invocation.callOptions))
        },
        CommandSpec(
            ["forecasts", "summary"], summary: "The financial tab: a customer's forecasts by month and in total, per currency.",
            usage: "forecasts summary CUSTOMER_ID [--from YYYY-MM] [--to YYYY-MM]",
            details: """
                OPTIONS:
                  --from, --to YYYY-MM     The period (inclusive). Default: every month with a forecast.

                Margin is revenue - cost; margin % is margin / revenue (none when there is no revenue).
                Currencies are never added together.

                EXAMPLE:
                  customerctl forecasts summary 42 --from 2027-01 --to 2027-12

                """,
            options: ["from", "to"], maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).financial(
                try await invocation.client.projects.financialSummary(
                    customerID: try invocation.requiredID("CUSTOMER_ID"), from: invocation.arguments.value("from"),
                    to: invocation.arguments.value("to"), options: invocation.callOptions))
        },
        CommandSpec(
            ["invoices", "issue"], summary: "Issue an invoice (it keeps a snapshot of the customer, address, contact and settings).",
            usage: "invoices issue CUSTOMER_ID --total X [--currency C] [--contact CONTACT_ID] [--description D]",
            details: """
                OPTIONS:
                  --total X                The total, an exact decimal (negative for a credit note).
                  --currency C             Default: the customer's invoicing currency.
                  --contact CONTACT_ID     The contact person it is addressed to.
                  --description D          Free text: line breaks and tabs allowed, no other control characters.

                EXAMPLE:
                  customerctl invoices issue 42 --total 1240.00 --contact 9 --description November

                """,
            options: ["total", "currency", "contact", "description"], maxPositionals: 1
        ) { invocation in
            guard let total = try decimal(invocation.arguments, "total") else { throw UsageError("missing --total") }
            let invoice = try await invocation.client.invoices.issue(
                IssueInvoiceRequest(
                    customerId: try invocation.requiredID("CUSTOMER_ID"), contactId: try invocation.arguments.integer("contact"),
                    total: total, currency: invocation.arguments.value("currency"), description: invocation.arguments.value("description")),
                options: invocation.callOptions)
            try Output(format: invocation.output).invoices([invoice])
        },
        CommandSpec(
            ["invoices", "list"], summary: "A customer's invoices.", usage: "invoices list CUSTOMER_ID",
            details: "EXAMPLE:\n  customerctl invoices list 42\n\n", maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).invoices(
                try await invocation.client.invoices.list(customerID: try invocation.requiredID("CUSTOMER_ID"), options: invocation.callOptions))
        },
        CommandSpec(
            ["invoices", "get"], summary: "Show an invoice as issued.", usage: "invoices get ID",
            details: "EXAMPLE:\n  customerctl invoices get 3 --output json\n\n", maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).invoices(
                [try await invocation.client.invoices.get(id: try invocation.requiredID(), options: invocation.callOptions)])
        },
    ]

    private static func taskStatusCommand(_ verb: String, _ status: ProjectTask.Status, summary: String) -> CommandSpec {
        CommandSpec(
            ["tasks", verb], summary: summary, usage: "tasks \(verb) TASK_ID",
            details: "EXAMPLE:\n  customerctl tasks \(verb) 12\n\n", maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).task(
                try await invocation.client.projects.setTaskStatus(id: try invocation.requiredID("TASK_ID"), status, options: invocation.callOptions))
        }
    }
}

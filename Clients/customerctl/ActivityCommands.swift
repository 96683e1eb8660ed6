import CommandLineKit
import CustomerClient
import Foundation

/// `customerctl activities ...`, `history ...`, `customers show`.
enum ActivityCommands {
    /// How a TIME option is written: the help of every command that takes one says it.
    static let timeHelp = """
        TIMES:
          ISO 8601: a date (2026-12-15, its midnight) or a date and time with minutes, optionally
          seconds and a fraction (2026-12-15T10:00, 2026-12-15 10:00:30.5). A zone may follow: Z,
          +02:00, +0200 or +02. Without a zone it is local time on this machine (TZ sets the zone).
          Anything else is refused. Times are shown in UTC.
        """


    static let all: [CommandSpec] = [
        CommandSpec(
            ["activities", "note"], summary: "Add a note to a customer: just the text.",
            usage: "activities note CUSTOMER_ID TEXT [--contact CONTACT_ID]",
            details: """
                OPTIONS:
                  --contact CONTACT_ID     The contact person the note is about.

                EXAMPLE:
                  customerctl activities note 42 "Met Aino at the fair"

                """,
            options: ["contact"], maxPositionals: 2
        ) { invocation in
            guard invocation.arguments.positionals.count == 2 else { throw UsageError("give CUSTOMER_ID and TEXT") }
            let activity = try await invocation.client.activities.note(
                customerID: try invocation.requiredID("CUSTOMER_ID"), invocation.arguments.positionals[1],
                contactID: try invocation.arguments.integer("contact"), options: invocation.callOptions)
            try Output(format: invocation.output).activity(activity)
        },
        CommandSpec(
            ["activities", "task"], summary: "Add a task to a customer.",
            usage: "activities task CUSTOMER_ID --subject S [--due TIME] [--assignee USER] [--contact CONTACT_ID]",
            details: """
                OPTIONS:
                  --subject S              What is to be done.
                  --due TIME               When it is due (see TIMES).
                  --assignee USER          Who does it (a user name). Default: you.
                  --contact CONTACT_ID     The contact person it concerns.

                \(timeHelp)

                EXAMPLE:
                  customerctl activities task 42 --subject "Send the offer" --due 2026-12-15

                """,
            options: ["subject", "due", "assignee", "contact"], maxPositionals: 1
        ) { invocation in
            guard let subject = invocation.arguments.value("subject") else { throw UsageError("missing --subject") }
            let activity = try await invocation.client.activities.task(
                customerID: try invocation.requiredID("CUSTOMER_ID"), subject, due: try invocation.arguments.dateTime("due"),
                assignee: invocation.arguments.value("assignee"), contactID: try invocation.arguments.integer("contact"),
                options: invocation.callOptions)
            try Output(format: invocation.output).activity(activity)
        },
        CommandSpec(
            ["activities", "event"], summary: "Add a calendar entry to a customer.",
            usage: "activities event CUSTOMER_ID --subject S --start TIME --end TIME [--contact CONTACT_ID]",
            details: """
                OPTIONS:
                  --subject S              What it is.
                  --start TIME             Start (see TIMES).
                  --end TIME               End, not before the start.
                  --contact CONTACT_ID     The contact person it is with.

                \(timeHelp)

                EXAMPLE:
                  customerctl activities event 42 --subject Kick-off --start 2026-12-01T09:00 --end 2026-12-01T10:00

                """,
            options: ["subject", "start", "end", "contact"], maxPositionals: 1
        ) { invocation in
            guard let subject = invocation.arguments.value("subject") else { throw UsageError("missing --subject") }
            guard let start = try invocation.arguments.dateTime("start") else { throw UsageError("missing --start") }
            guard let end = try invocation.arguments.dateTime("end") else { throw UsageError("missing --end") }
            let activity = try await invocation.client.activities.event(
                customerID: try invocation.requiredID("CUSTOMER_ID"), subject, from: start, to: end,
                contactID: try invocation.arguments.integer("contact"), options: invocation.callOptions)
            try Output(format: invocation.output).activity(activity)
        },
        taskCommand("complete", summary: "Mark a task done.") {
            try await $0.client.activities.complete(taskID: $1, options: $0.callOptions)
        },
        taskCommand("reopen", summary: "Put a done task back into planned.") {
            try await $0.client.activities.reopen(taskID: $1, options: $0.callOptions)
        },
        CommandSpec(
            ["activities", "list"], summary: "A customer's activities: planned, then done.",
            usage: "activities list CUSTOMER_ID",
            details: """
                EXAMPLE:
                  customerctl activities list 42

                """,
            maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).activities(
                try await invocation.client.activities.list(customerID: try invocation.requiredID("CUSTOMER_ID"), options: invocation.callOptions))
        },
        CommandSpec(
            ["history"], summary: "Who changed a customer, address or contact, when, and what.",
            usage: "history customer|address|contact ID",
            details: """
                ARGUMENTS:
                  customer|address|contact Which kind of record.
                  ID                       The record's id.

                EXAMPLE:
                  customerctl history customer 42

                """,
            maxPositionals: 2
        ) { invocation in
            let positionals = invocation.arguments.positionals
            guard positionals.count == 2 else { throw UsageError("give the kind of record and its ID") }
            let entity: HistoryEntry.Entity
            switch positionals[0] {
            case "customer": entity = .customer
            case "address": entity = .address
            case "contact": entity = .contact
            default:
                throw UsageError(
                    "unknown record kind '\(positionals[0])'",
                    suggestion: Suggestion.closest(to: positionals[0], among: ["customer", "address", "contact"]))
            }
            guard let id = Int64(positionals[1]) else { throw UsageError("ID must be a whole number, got '\(positionals[1])'") }
            try Output(format: invocation.output).history(
                try await invocation.client.history.list(entity, id: id, options: invocation.callOptions))
        },
        CommandSpec(
            ["customers", "show"], summary: "The customer card, readable: one tab or all of them.",
            usage: "customers show ID [--tab contact|sales|collaboration|financial|settings|files|all] [--from YYYY-MM] [--to YYYY-MM]",
            details: """
                ARGUMENTS:
                  ID                       The customer's id.

                OPTIONS:
                  --tab TAB                contact (default): fields, addresses (head office first), active contacts,
                                           planned and done activities; sales: sales cases and projects;
                                           collaboration: project tasks and notes; financial: forecasts by month;
                                           settings: invoicing defaults and segments; files: files and links; all.
                                           Repeat it for several tabs.
                  --from, --to YYYY-MM     The financial tab's period.

                Every tab asked for is read in one consistent snapshot, in one call.

                EXAMPLE:
                  customerctl customers show 42
                  customerctl customers show 42 --tab all

                """,
            options: ["tab", "from", "to"], maxPositionals: 1
        ) { invocation in
            let names: [String: [CardTab]] = [
                "contact": [.contactInformation], "sales": [.salesAndProjects], "collaboration": [.collaboration],
                "financial": [.financial], "settings": [.settings], "files": [.files], "all": CardTab.allCases,
            ]
            var tabs: [CardTab] = []
            for name in invocation.arguments.allValues("tab") {
                guard let chosen = names[name] else {
                    throw UsageError("unknown tab '\(name)'", suggestion: Suggestion.closest(to: name, among: names.keys))
                }
                tabs += chosen.filter { !tabs.contains($0) }
            }
            try Output(format: invocation.output).fullCard(
                try await invocation.client.cards.get(
                    customerID: try invocation.requiredID(), tabs: tabs.isEmpty ? [.contactInformation] : tabs,
                    from: invocation.arguments.value("from"), to: invocation.arguments.value("to"), options: invocation.callOptions))
        },
    ]

    private static func taskCommand(
        _ verb: String, summary: String, _ call: @escaping @Sendable (Invocation, Int64) async throws -> Activity
    ) -> CommandSpec {
        CommandSpec(
            ["activities", verb], summary: summary, usage: "activities \(verb) TASK_ID",
            details: """
                EXAMPLE:
                  customerctl activities \(verb) 17

                """,
            maxPositionals: 1
        ) { invocation in
            try Output(format: invocation.output).activity(try await call(invocation, try invocation.requiredID("TASK_ID")))
        }
    }
}

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
          +02:00, +0200 or +02. Without a zone it is local time on this machine (TZ sets the zone:
          a name such as Europe/Helsinki, :Europe/Helsinki or /usr/share/zoneinfo/Europe/Helsinki;
          a POSIX rule such as UTC-3 is refused, give the zone with the time then).
          Anything else is refused. The activity keeps the zone (the one given, else this machine's)
          and its times are shown in it.
        """

    static let contact = Option.value("contact", "CONTACT_ID", help: "The contact person it concerns.")
    static let project = Option.value("project", "PROJECT_ID", help: "The customer's project (or sales case) it belongs to.")
    static let listProject = Option.value("project", "PROJECT_ID",
                                          help: "Only this project's: its tasks and the activities linked to it.")
    static let taskSubject = Option.value("subject", "S", help: "What is to be done.", required: true)
    static let due = Option.value("due", "TIME", help: "When it is due (see TIMES).")
    static let assignee = Option.value("assignee", "USER", help: "Who does it (a user name). Default: you.")
    static let eventSubject = Option.value("subject", "S", help: "What it is.", required: true)
    static let start = Option.value("start", "TIME", help: "Start (see TIMES).", required: true)
    static let end = Option.value("end", "TIME", help: "End, not before the start.", required: true)
    static let taskID = Argument("TASK_ID", help: "The task's id.")

    static let all: [CommandSpec] = [
        CommandSpec(
            ["activities", "note"], summary: "Add a note to a customer: just the text.",
            arguments: [CommandArguments.customerID, CommandArguments.text], options: [contact, project],
            examples: ["customerctl activities note 42 \"Met Aino at the fair\"",
                       "customerctl activities note 42 \"Scope agreed\" --project 7"]
        ) { invocation in
            let activity = try await invocation.client.activities.note(
                customerID: try invocation.id(CommandArguments.customerID), try invocation.text(CommandArguments.text, at: 1),
                contactID: try invocation.integer(contact), projectID: try invocation.integer(project),
                options: invocation.callOptions)
            try invocation.printer.activity(activity)
        },
        CommandSpec(
            ["activities", "task"], summary: "Add a task to a customer.",
            arguments: [CommandArguments.customerID], options: [taskSubject, due, assignee, contact, project], notes: timeHelp,
            examples: ["customerctl activities task 42 --subject \"Send the offer\" --due 2026-12-15"]
        ) { invocation in
            let activity = try await invocation.client.activities.task(
                customerID: try invocation.id(CommandArguments.customerID), invocation.value(taskSubject) ?? "",
                due: try invocation.arguments.dateTime(due), assignee: invocation.value(assignee),
                contactID: try invocation.integer(contact), timeZone: try zone(of: invocation.value(due)),
                projectID: try invocation.integer(project), options: invocation.callOptions)
            try invocation.printer.activity(activity)
        },
        CommandSpec(
            ["activities", "event"], summary: "Add a calendar entry to a customer.",
            arguments: [CommandArguments.customerID], options: [eventSubject, start, end, contact, project], notes: timeHelp,
            examples: ["customerctl activities event 42 --subject Kick-off --start 2026-12-01T09:00 --end 2026-12-01T10:00"]
        ) { invocation in
            guard let from = try invocation.arguments.dateTime(start) else { throw UsageError("missing \(start.spelling)") }
            guard let to = try invocation.arguments.dateTime(end) else { throw UsageError("missing \(end.spelling)") }
            let activity = try await invocation.client.activities.event(
                customerID: try invocation.id(CommandArguments.customerID), invocation.value(eventSubject) ?? "", from: from, to: to,
                contactID: try invocation.integer(contact), timeZone: try zone(of: invocation.value(start)),
                projectID: try invocation.integer(project), options: invocation.callOptions)
            try invocation.printer.activity(activity)
        },
        taskCommand("complete", summary: "Mark a task done.") {
            try await $0.client.activities.complete(taskID: $1, options: $0.callOptions)
        },
        taskCommand("reopen", summary: "Put a done task back into planned.") {
            try await $0.client.activities.reopen(taskID: $1, options: $0.callOptions)
        },
        CommandSpec(
            ["activities", "list"], summary: "A customer's activities: planned, then done.",
            arguments: [CommandArguments.customerID], options: [listProject],
            examples: ["customerctl activities list 42", "customerctl activities list 42 --project 7"]
        ) { invocation in
            try invocation.printer.activities(
                try await invocation.client.activities.list(
                    customerID: try invocation.id(CommandArguments.customerID),
                    projectID: try invocation.integer(listProject), options: invocation.callOptions))
        },
        CommandSpec(
            ["history"], summary: "Who changed a customer, address, contact or activity, when, and what.",
            arguments: [recordKind, CommandArguments.id], examples: ["customerctl history customer 42"]
        ) { invocation in
            let kind = try invocation.text(recordKind)
            guard let entity = entities[kind] else {
                throw UsageError(
                    "unknown record kind '\(kind)'", suggestion: Suggestion.closest(to: kind, among: entities.keys.sorted()))
            }
            try invocation.printer.history(
                try await invocation.client.history.list(entity, id: try invocation.id(at: 1), options: invocation.callOptions))
        },
        CommandSpec(
            ["customers", "show"], summary: "The customer card, readable: one tab or all of them.",
            arguments: [CommandArguments.customer], options: [tab, from, to],
            notes: "Every tab asked for is read in one consistent snapshot, in one call.",
            examples: ["customerctl customers show 42", "customerctl customers show 42 --tab all"]
        ) { invocation in
            var tabs: [CardTab] = []
            for name in invocation.values(tab) {
                tabs += (cardTabs[name] ?? []).filter { !tabs.contains($0) }
            }
            try invocation.printer.fullCard(
                try await invocation.client.cards.get(
                    customerID: try invocation.id(), tabs: tabs.isEmpty ? [.contactInformation] : tabs,
                    from: invocation.value(from), to: invocation.value(to), options: invocation.callOptions))
        },
    ]

    static let recordKind = Argument("customer|address|contact|activity", help: "Which kind of record.",
                                     choices: ["customer", "address", "contact", "activity"])
    static let entities: [String: HistoryEntry.Entity] = [
        "customer": .customer, "address": .address, "contact": .contact, "activity": .activity,
    ]

    /// The zone a TIME was typed in (see TIMES), by the name the server keeps; nil without one.
    static func zone(of text: String?) throws(UsageError) -> String? {
        guard let text else { return nil }
        return DateTimeText.zone(of: text, localZone: try DateTimeText.localZone(for: text))?.identifier
    }

    /// The card's tabs by the names `--tab` takes, in the order the help lists them.
    static let tabNames: [(String, [CardTab])] = [
        ("contact", [.contactInformation]), ("sales", [.salesAndProjects]), ("collaboration", [.collaboration]),
        ("financial", [.financial]), ("settings", [.settings]), ("files", [.files]), ("all", CardTab.allCases),
    ]
    private static let cardTabs = Dictionary(uniqueKeysWithValues: tabNames)
    static let tab = Option.repeatable("tab", "TAB", help: """
        contact (default): fields and segments, addresses (head office first), active
        contacts, planned and done activities; sales: sales cases and projects;
        collaboration: project tasks and notes; financial: forecasts by month;
        settings: invoicing defaults and segments; files: files and links; all.
        Repeat it for several tabs.
        """, choices: tabNames.map(\.0))
    static let from = Option.value("from", "YYYY-MM", help: "The financial tab's first month.")
    static let to = Option.value("to", "YYYY-MM", help: "The financial tab's last month.")

    private static func taskCommand(
        _ verb: String, summary: String, _ call: @escaping @Sendable (Invocation, Int64) async throws -> Activity
    ) -> CommandSpec {
        CommandSpec(
            ["activities", verb], summary: summary, arguments: [taskID], examples: ["customerctl activities \(verb) 17"]
        ) { invocation in
            try invocation.printer.activity(try await call(invocation, try invocation.id(taskID)))
        }
    }
}

import CommandLineKit
import CustomerClient

/// `customerctl activities update` and `activities delete`.
enum ActivityEditCommands {
    static let activityID = Argument("ACTIVITY_ID", help: "The activity's id (see activities list).")
    static let subject = Option.value("subject", "S", help: "A task's or event's subject; a note's text.")
    static let due = Option.value("due", "TIME", help: "A task's due time (see TIMES), or none to remove it.")
    static let start = Option.value("start", "TIME", help: "An event's start (see TIMES).")
    static let end = Option.value("end", "TIME", help: "An event's end, not before its start.")
    static let assignee = Option.value("assignee", "USER", help: "Who does the task (a user name).")
    static let contact = Option.value("contact", "CONTACT_ID", help: "The contact person it concerns, or none.")
    static let project = Option.value("project", "PROJECT_ID",
                                      help: "The customer's project (or sales case) it belongs to, or none.")
    static let expectVersion = CommandArguments.expectVersion(of: "the activity")

    static let all: [CommandSpec] = [
        CommandSpec(
            ["activities", "update"], summary: "Change a note, task or event: subject, time, contact, assignee, project.",
            arguments: [activityID], options: [subject, due, start, end, assignee, contact, project, expectVersion],
            notes: ActivityCommands.timeHelp + "\n\nThe history keeps each change: customerctl history activity ID.",
            examples: ["customerctl activities update 17 --due 2026-12-18T14:00 --assignee maija",
                       "customerctl activities update 17 --contact none", "customerctl activities update 17 --project 7"]
        ) { invocation in
            var request = UpdateActivityRequest(
                id: try invocation.id(activityID), expectedVersion: try invocation.integer(expectVersion),
                subject: invocation.value(subject), startsAt: try invocation.arguments.dateTime(start),
                endsAt: try invocation.arguments.dateTime(end), assignee: invocation.value(assignee))
            if invocation.value(due) == "none" {
                request.clear += [.dueDate, .timeZone]
            } else if let text = invocation.value(due) {
                request.dueDate = try invocation.arguments.dateTime(due)
                request.timeZone = try ActivityCommands.zone(of: text)
            }
            if request.timeZone == nil, let text = invocation.value(start) ?? invocation.value(end) {
                request.timeZone = try ActivityCommands.zone(of: text)
            }
            if invocation.value(contact) == "none" {
                request.clear.append(.contact)
            } else {
                request.contactId = try invocation.integer(contact)
            }
            if invocation.value(project) == "none" {
                request.clear.append(.project)
            } else {
                request.projectId = try invocation.integer(project)
            }
            try invocation.printer.activity(try await invocation.client.activities.update(request, options: invocation.callOptions))
        },
        CommandSpec(
            ["activities", "delete"], summary: "Remove a note, task or event for good (its history remains).",
            arguments: [activityID], options: [expectVersion],
            examples: ["customerctl activities delete 17"]
        ) { invocation in
            let id = try invocation.id(activityID)
            try await invocation.client.activities.delete(
                id: id, expectedVersion: try invocation.integer(expectVersion), options: invocation.callOptions)
            if invocation.output == .json {
                try Output(format: .json).printJSON(["deleted": id])
            } else {
                print("Activity \(id) deleted.")
            }
        },
    ]
}

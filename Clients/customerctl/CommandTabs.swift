/// The command groups under the tab of the customer card they work on, so the overview reads
/// like the card: basic data, contacts, activities, sales, money, settings, files, administration.
enum CommandTabs {
    static let tabs: [(title: String, groups: [String])] = [
        ("Basic data", ["customers", "addresses", "history"]),
        ("Contacts", ["contacts", "keywords", "roles", "mailing-list"]),
        ("Activities", ["activities"]),
        ("Sales and projects", ["projects", "tasks", "notes"]),
        ("Financial", ["forecasts", "invoices", "settings"]),
        ("Classification", ["segments", "industries"]),
        ("Files and links", ["files", "links"]),
        ("Administration", ["users", "whoami", "profiles"]),
        ("Server and tools", ["health", "server-info", "services", "call", "completion"]),
    ]

    /// The tabs in order, each with the groups (first words of commands) that `groups` holds;
    /// a group no tab names comes last under "Other", so a new command is never left out.
    static func arrange(_ groups: [String]) -> [(title: String, groups: [String])] {
        var arranged = tabs.map { tab in (tab.title, tab.groups.filter(groups.contains)) }.filter { !$0.1.isEmpty }
        let placed = Set(tabs.flatMap(\.groups))
        let others = groups.filter { !placed.contains($0) }
        if !others.isEmpty { arranged.append(("Other", others)) }
        return arranged.map { (title: $0.0, groups: $0.1) }
    }
}

import CustomerClient
import ServiceLog

extension Output {
    /// A registry refresh: the registry asked, the company's standing, the differences as FIELD /
    /// BEFORE / AFTER (REGISTRY), what was done, then the warnings and the email note.
    ///
    /// One verdict line per run: "Applied", "Dry run" or "Nothing applied" (when every difference
    /// was withheld), never two that contradict each other.
    func refresh(_ result: RefreshFromRegistryResponse, dryRun: Bool) throws {
        guard format == .table else { return try printJSON(result) }
        // A registry's words are someone else's data: printed escaped like table cells.
        print(TerminalText.escaped("Registry: \(result.registry.name) (\(result.registry.url))"))
        if let standing = result.standing {
            print(TerminalText.escaped("Status: \(standing)"))
        }
        if let parent = result.parent {
            print(TerminalText.escaped("Branch of: \(parent.businessId)" + (parent.name.map { " \($0)" } ?? "")))
        }
        if result.differences.isEmpty {
            print("No differences: customer \(result.customer.id) matches the registry.")
        } else {
            let withheld = result.differences.contains { $0.withheld != nil }
            var table = TextTable(["FIELD", "BEFORE", "AFTER (REGISTRY)"] + (withheld ? ["NOT TAKEN"] : []))
            for difference in result.differences {
                let row = [difference.field.rawValue, difference.current ?? "-", difference.registry ?? "-"]
                table.append(row + (withheld ? [difference.withheld ?? "-"] : []))
            }
            print(table.render(), terminator: "")
            let taken = result.differences.filter { $0.withheld == nil }.count
            let count = taken == 1 ? "1 field" : "\(taken) fields"
            if result.applied {
                print("Applied: \(count) of customer \(result.customer.id) changed (now version \(result.customer.version)).")
            } else if dryRun {
                print("Dry run: nothing was changed.")
            } else {
                print("Nothing applied: every difference was withheld.")
            }
        }
        if !dryRun, result.customer.registryStatus != nil {
            print("Status kept on customer \(result.customer.id).")
        }
        for warning in result.warnings {
            print(TerminalText.escaped("Warning: \(warning)."))
        }
        if let note = result.emailNote {
            print(TerminalText.escaped("Email: \(note)."))
        }
    }
}

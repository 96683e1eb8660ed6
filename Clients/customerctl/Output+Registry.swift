import CustomerClient

extension Output {
    /// A registry refresh: the registry asked, the differences as FIELD / BEFORE / AFTER (REGISTRY),
    /// what was done, and the notes (email, deregistration).
    func refresh(_ result: RefreshFromRegistryResponse, dryRun: Bool) throws {
        guard format == .table else { return try printJSON(result) }
        // A registry's words are someone else's data: printed escaped like table cells.
        print(TerminalText.escaped("Registry: \(result.registry.name) (\(result.registry.url))"))
        if result.differences.isEmpty {
            print("No differences: customer \(result.customer.id) matches the registry.")
        } else {
            var table = TextTable(["FIELD", "BEFORE", "AFTER (REGISTRY)"])
            for difference in result.differences {
                table.append([difference.field.rawValue, difference.current ?? "-", difference.registry ?? "-"])
            }
            print(table.render(), terminator: "")
            let count = result.differences.count == 1 ? "1 field" : "\(result.differences.count) fields"
            if result.applied {
                print("Applied: \(count) of customer \(result.customer.id) changed (now version \(result.customer.version)).")
            } else if dryRun {
                print("Dry run: nothing was changed.")
            }
        }
        if let note = result.emailNote {
            print(TerminalText.escaped("Email: \(note)."))
        }
        if let ended = result.deregistered {
            let date = ended.date.map { " on \($0)" } ?? ""
            print(TerminalText.escaped("Deregistered\(date): \(ended.reason). Not applied: the customer stays as it is; deactivate it yourself if it has ended."))
        }
    }
}

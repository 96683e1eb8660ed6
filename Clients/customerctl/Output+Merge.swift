import CustomerClient

extension Output {
    /// Duplicate candidates as SCORE / FIRST / SECOND / REASONS, each customer as "id number name".
    func duplicates(_ pairs: [DuplicatePair]) throws {
        guard format == .table else { return try printJSON(pairs) }
        var table = TextTable(["SCORE", "FIRST", "SECOND", "REASONS"])
        for pair in pairs {
            table.append([String(pair.score), Self.describe(pair.first), Self.describe(pair.second),
                          pair.reasons.joined(separator: ", ")])
        }
        print(table.render(), terminator: "")
    }

    /// A merge or its dry run: what moves (KIND / IDS), the fields filled, the conflicts, one verdict line.
    func merge(_ result: MergeCustomersResponse, confirmHint: Bool) throws {
        guard format == .table else { return try printJSON(result) }
        if result.moved.isEmpty {
            print("Nothing to move.")
        } else {
            var moved = TextTable(["MOVES", "IDS"])
            for records in result.moved { moved.append([records.kind, records.ids.map(String.init).joined(separator: ", ")]) }
            print(moved.render(), terminator: "")
        }
        if !result.filled.isEmpty {
            var filled = TextTable(["FILLS", "VALUE"])
            for change in result.filled { filled.append([change.field, change.newValue ?? "-"]) }
            print(filled.render(), terminator: "")
        }
        if !result.conflicts.isEmpty {
            var conflicts = TextTable(["CONFLICT", "SUBJECT", "KEPT", "ABSORBED"])
            for conflict in result.conflicts {
                conflicts.append([conflict.kind, conflict.subject, conflict.kept ?? "-", conflict.absorbed ?? "-"])
            }
            print(conflicts.render(), terminator: "")
        }
        if !result.dryRun {
            print("Merged customer \(result.absorbedId) into customer \(result.kept.id) (now version \(result.kept.version)).")
        } else if confirmHint {
            print("Nothing merged: add --confirm to merge customer \(result.absorbedId) into customer \(result.kept.id).")
        } else {
            print("Dry run: nothing was changed.")
        }
    }

    private static func describe(_ customer: CustomerRef) -> String {
        "\(customer.id) (\(customer.number)) \(customer.name)"
    }
}

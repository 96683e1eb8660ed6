import CommandLineKit
import CustomerClient
import Foundation
import ServiceLog

/// `customers duplicates` and `customers merge` (issue 18 §2).
enum CustomerMergeCommands {
    static let duplicates = CommandSpec(
        ["customers", "duplicates"], summary: "List pairs of customers that may be one, with a score and the reasons.",
        options: [limit, CustomerCommands.pageToken],
        notes: """
            Needs Customers read for all customers. Reasons: sameVatNumber (VAT number or business id
            in any spelling), sameName (equal ignoring case, accents, punctuation and legal forms such
            as Oy, Ab, AS, GmbH, B.V., Ltd), sameDomain (email domain or website host; public mail
            services excluded), samePhone (E.164). Score: 70, 40, 25 and 25 added up, at most 100.
            A key more than 50 customers share pairs nobody.
            """,
        examples: ["customerctl customers duplicates", "customerctl customers duplicates --limit 500 --output json"]
    ) { invocation in
        let page = try await invocation.client.customers.findDuplicates(
            limit: try invocation.integer(limit), pageToken: invocation.value(CustomerCommands.pageToken),
            options: invocation.callOptions)
        try invocation.printer.duplicates(page.pairs)
        if let token = page.nextPageToken {
            // On stderr so that stdout stays one table or one JSON array.
            LogSink.writeToStandardError("next page: \(CustomerCommands.pageToken.spelling) \(TerminalText.escaped(token))\n")
        }
    }

    static let merge = CommandSpec(
        ["customers", "merge"], summary: "Merge a duplicate customer into the one to keep (cannot be undone).",
        arguments: [keep, absorb], options: [dryRun, confirm, doNotFill],
        notes: """
            Needs the delete right and Customers edit on both. Moves the addresses (the kept head
            office stays), contacts with their keywords and roles, activities, sales cases and
            projects, files and links, segments and invoices (unchanged) of ABSORB to KEEP in one
            transaction, and fills the fields KEEP lacks from ABSORB. Both histories record the
            merge; ABSORB's id then answers "not found" naming KEEP. Without --confirm nothing is
            merged: it shows what --confirm would do, as --dry-run does.
            """,
        examples: ["customerctl customers merge 42 57 --dry-run", "customerctl customers merge 42 57 --confirm --do-not-fill website"]
    ) { invocation in
        let (keepID, absorbID) = (try invocation.id(keep), try invocation.id(absorb, at: 1))
        let merging = invocation.flag(confirm) && !invocation.flag(dryRun)
        let result = try await invocation.client.customers.merge(
            keep: keepID, absorb: absorbID, dryRun: !merging, doNotFill: invocation.values(doNotFill),
            options: invocation.callOptions)
        try invocation.printer.merge(result, confirmHint: !merging && !invocation.flag(dryRun))
    }

    static let limit = Option.value("limit", "N", help: "Pairs per page, 1 to 1000. Default: 100.")
    static let keep = Argument("KEEP", help: "The id of the customer that stays.")
    static let absorb = Argument("ABSORB", help: "The id of the customer merged into it, which then no longer exists.")
    static let dryRun = Option.flag("dry-run", help: "Only show what would move, be filled and conflict; change nothing.")
    static let confirm = Option.flag("confirm", help: "Required to merge: says you mean it.")
    static let doNotFill = Option.repeatable(
        "do-not-fill", "FIELD", help: "A field KEEP lacks that must stay empty rather than take ABSORB's value.",
        choices: MergeCustomersRequest.fillableFields)
}

import CustomerClient
import Foundation
import Testing

/// `customerctl customers duplicates` and `customers merge` against a real server.
@Suite struct CustomerMergeCommandLineTests {
    private let cli = CommandLineTests()

    @Test func duplicatesListsThePairAndMergeNeedsConfirm() async throws {
        try await withServer { server, client in
            let kept = try await client.customers.create(CustomerFields(name: "Lumi Oy", email: "hello@lumi.fi"))
            let absorbed = try await client.customers.create(CustomerFields(name: "LUMI Ab", phone: "+358 9 123 4567"))

            let table = try await cli.ctl(server, "customers", "duplicates")
            #expect(table.status == 0, "\(table.stderr)")
            let first = "\(kept.id) (\(kept.number)) Lumi Oy", second = "\(absorbed.id) (\(absorbed.number)) LUMI Ab"
            func padded(_ text: String, _ width: Int) -> String { text.padding(toLength: width + 2, withPad: " ", startingAt: 0) }
            #expect(table.stdout == padded("SCORE", 5) + padded("FIRST", first.count) + padded("SECOND", second.count) + "REASONS\n"
                + padded("40", 5) + padded(first, first.count) + padded(second, second.count) + "sameName\n")
            let json = try await cli.ctl(server, "customers", "duplicates", "--output", "json")
            #expect(try cli.decode([DuplicatePair].self, json.stdout).map(\.second.id) == [absorbed.id])

            // Without --confirm it only shows what would happen.
            let unconfirmed = try await cli.ctl(server, "customers", "merge", String(kept.id), String(absorbed.id))
            #expect(unconfirmed.status == 0, "\(unconfirmed.stderr)")
            #expect(unconfirmed.stdout == """
                Nothing to move.
                FILLS  VALUE
                phone  +358 9 123 4567
                Nothing merged: add --confirm to merge customer \(absorbed.id) into customer \(kept.id).

                """)
            #expect(try await client.customers.get(id: absorbed.id) == absorbed)

            let merged = try await cli.ctl(server, "customers", "merge", String(kept.id), String(absorbed.id), "--confirm",
                                           "--output", "json")
            #expect(merged.status == 0, "\(merged.stderr)")
            let response = try cli.decode(MergeCustomersResponse.self, merged.stdout)
            #expect(!response.dryRun && response.kept.phone == "+358 9 123 4567")

            let gone = try await cli.ctl(server, "customers", "get", String(absorbed.id))
            #expect(gone.status != 0)
            #expect(gone.stderr.contains("customer \(absorbed.id) was merged into customer \(kept.id)"))
        }
    }

    @Test func mergeHelpSaysWhatItNeedsAndDoes() async throws {
        let help = try await runProduct("customerctl", ["customers", "merge", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: customerctl customers merge KEEP ABSORB"))
        #expect(help.stdout.contains("--do-not-fill"))
        #expect(help.stdout.contains("Needs the delete right"))
    }
}

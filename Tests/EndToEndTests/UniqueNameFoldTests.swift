import CustomerClient
import Foundation
import TestSupport
import Testing

/// One unique name whatever its case, in every script (unicode23): keywords, roles, industries,
/// profiles, users and sibling segments compare by their full case fold, and a database from
/// before, holding "ÉCOLE" and "école" and names stored decomposed, is upgraded without losing
/// either (`Migrations.nameFolds`).
@Suite struct UniqueNameFoldTests {
    @Test func uniqueNamesDifferingOnlyInCaseBeyondASCIIAreOneName() async throws {
        try await withServer { _, client in
            _ = try await client.labels.create(.keyword, name: "ÉCOLE")
            let keyword = await #expect(throws: RPCError.self) { try await client.labels.create(.keyword, name: "école") }
            #expect(keyword?.code == .alreadyExists)
            #expect(keyword?.message.contains("the keyword 'ÉCOLE'") == true, "\(String(describing: keyword))")
            // Accents are not folded: a different word.
            _ = try await client.labels.create(.keyword, name: "ecole")
            // A role is another list: the same name is free there.
            _ = try await client.labels.create(.role, name: "école")

            _ = try await client.settings.createIndustry("STRAẞENBAU")
            let industry = await #expect(throws: RPCError.self) { try await client.settings.createIndustry("Straßenbau") }
            #expect(industry?.code == .alreadyExists)
            #expect(industry?.message.contains("the industry 'STRAẞENBAU'") == true)
            let renamed = try await client.settings.renameIndustry("strassenbau", to: "Straßenbau")
            #expect(renamed.name == "Straßenbau")

            _ = try await client.profiles.create(name: "ÖVERSIKT", rights: Rights(readCustomers: .all))
            let profile = await #expect(throws: RPCError.self) {
                try await client.profiles.create(name: "översikt", rights: Rights(readCustomers: .all))
            }
            #expect(profile?.code == .alreadyExists)
            #expect(try await client.profiles.get(name: "Översikt").name == "ÖVERSIKT")

            _ = try await client.users.add(uid: 70_001, name: "JÖRG")
            let user = await #expect(throws: RPCError.self) { try await client.users.add(uid: 70_002, name: "jörg") }
            #expect(user?.code == .alreadyExists)
            #expect(try await client.users.deactivate(user: "Jörg").name == "JÖRG")

            let top = try await client.settings.createSegment("ÄRZTE")
            let segment = await #expect(throws: RPCError.self) { try await client.settings.createSegment("ärzte") }
            #expect(segment?.code == .alreadyExists)
            _ = try await client.settings.createSegment("ärzte", parentID: top.id)

            // A contact names the keyword in the other case, and gets the stored one.
            let customer = try await client.customers.create(CustomerFields(name: "Lycée", industry: "STRASSENBAU"))
            #expect(customer.industry == "Straßenbau")
            let contact = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Aino"),
                                                           keywords: ["École"])
            #expect(contact.keywords == ["ÉCOLE"])
        }
    }

    /// Names that print alike are one name (fold24): a zero-width space or soft hyphen inside,
    /// full-width letters, a ligature; the refusal names the holder, and a lookup in either
    /// spelling finds it. Accents stay significant.
    @Test func uniqueNamesDifferingOnlyInInvisibleOrCompatibilityCharactersAreOneName() async throws {
        try await withServer { _, client in
            _ = try await client.labels.create(.keyword, name: "VIP")
            for spoof in ["VI\u{200B}P", "V\u{00AD}IP", "\u{2060}vip", "ＶＩＰ"] {
                await expectTaken(by: "the keyword 'VIP'") { try await client.labels.create(.keyword, name: spoof) }
            }
            let customer = try await client.customers.create(CustomerFields(name: "Lycée"))
            let contact = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Aino"),
                                                           keywords: ["VI\u{200B}P"])
            #expect(contact.keywords == ["VIP"])

            _ = try await client.settings.createIndustry("ACME")
            await expectTaken(by: "the industry 'ACME'") { try await client.settings.createIndustry("ＡＣＭＥ") }

            _ = try await client.profiles.create(name: "ﬁrma", rights: Rights(readCustomers: .all))
            await expectTaken(by: "the permission profile 'ﬁrma'") {
                try await client.profiles.create(name: "Firma", rights: Rights(readCustomers: .all))
            }
            #expect(try await client.profiles.get(name: "firma").name == "ﬁrma")

            _ = try await client.users.add(uid: 70_011, name: "Jörg")
            await expectTaken(by: "the user 'Jörg'") { try await client.users.add(uid: 70_012, name: "Jö\u{200D}rg") }
            // Accents still count: a different name.
            _ = try await client.users.add(uid: 70_013, name: "Jorg")
        }
    }

    /// Every character that does not show is ignored, as NFKC_Casefold ignores Unicode's
    /// default-ignorable code points (names25): a variation selector, the Hangul filler and the
    /// combining grapheme joiner, which are not format characters, made a second name that prints
    /// as the first.
    @Test func uniqueNamesDifferingOnlyInDefaultIgnorableCharactersAreOneName() async throws {
        try await withServer { _, client in
            _ = try await client.labels.create(.keyword, name: "VIP")
            for spoof in ["VIP\u{FE0F}", "V\u{E0100}IP", "VI\u{180B}P"] {
                await expectTaken(by: "the keyword 'VIP'") { try await client.labels.create(.keyword, name: spoof) }
            }
            _ = try await client.settings.createIndustry("AB")
            await expectTaken(by: "the industry 'AB'") { try await client.settings.createIndustry("A\u{3164}B") }
            _ = try await client.users.add(uid: 70_021, name: "ab")
            await expectTaken(by: "the user 'ab'") { try await client.users.add(uid: 70_022, name: "a\u{034F}b") }
            #expect(try await client.users.deactivate(user: "A\u{034F}B").name == "ab")
            _ = try await client.profiles.create(name: "Kassa", rights: Rights(readCustomers: .all))
            await expectTaken(by: "the permission profile 'Kassa'") {
                try await client.profiles.create(name: "Kas\u{FFA0}sa", rights: Rights(readCustomers: .all))
            }
            _ = try await client.settings.createSegment("Retail")
            await expectTaken(by: "the sibling segment 'Retail'") { try await client.settings.createSegment("Ret\u{115F}ail") }
        }
    }

    /// Expects `create` refused `ALREADY_EXISTS` naming the row that has the name (`holder`: "the keyword 'VIP'").
    private func expectTaken(by holder: String, _ create: () async throws -> some Any) async {
        let refused = await #expect(throws: RPCError.self) { _ = try await create() }
        #expect(refused?.code == .alreadyExists, "\(String(describing: refused))")
        #expect(refused?.message.contains(holder) == true, "\(String(describing: refused))")
    }

    /// A unique name that shows nothing (Hangul fillers, a variation selector, a tag: their fold is
    /// empty) is refused on create and on rename, naming the field, in every list; before names25
    /// one such name per list was taken and listed as a blank row.
    @Test func aUniqueNameThatShowsNothingIsRefusedOnCreateAndRename() async throws {
        try await withServer { _, client in
            let blank = "\u{3164}\u{FE0F}"
            func expectRefused(_ field: String, _ call: () async throws -> some Any) async {
                let refused = await #expect(throws: RPCError.self) { _ = try await call() }
                #expect(refused?.code == .invalidArgument, "\(String(describing: refused))")
                #expect(refused?.message.contains("\(field): must be 1 to") == true, "\(String(describing: refused))")
            }
            for name in [blank, "\u{115F}\u{1160}", "\u{FFA0}", "\u{E0020}\u{E007F}", "\u{FFF0}"] {
                await expectRefused("name") { try await client.labels.create(.keyword, name: name) }
                await expectRefused("name") { try await client.labels.create(.role, name: name) }
                await expectRefused("name") { try await client.settings.createIndustry(name) }
                await expectRefused("name") { try await client.users.add(uid: 70_031, name: name) }
                await expectRefused("name") {
                    try await client.profiles.create(name: name, rights: Rights(readCustomers: .all))
                }
                await expectRefused("name") { try await client.settings.createSegment(name) }
            }
            _ = try await client.labels.create(.keyword, name: "Gold")
            await expectRefused("newName") { try await client.labels.rename(.keyword, name: "Gold", to: blank) }
            _ = try await client.settings.createIndustry("Mining")
            await expectRefused("newName") { try await client.settings.renameIndustry("Mining", to: blank) }
            _ = try await client.profiles.create(name: "Kassa", rights: Rights(readCustomers: .all))
            await expectRefused("name") { try await client.profiles.update(name: "Kassa", newName: blank) }
            let segment = try await client.settings.createSegment("Retail")
            await expectRefused("name") { try await client.settings.updateSegment(UpdateSegmentRequest(id: segment.id, name: blank)) }

            #expect(try await client.labels.list(.keyword).map(\.name) == ["Gold"])
            #expect(try await client.labels.list(.role).isEmpty)
            #expect(try await client.settings.industries().map(\.name) == ["Mining"])
            #expect(try await client.settings.segments().map(\.name) == ["Retail"])
            #expect(try await client.users.list().count == 1)
        }
    }

    /// A database main wrote: keywords "ÉCOLE" and "école" (both taken under ASCII-only NOCASE), a
    /// keyword and an industry stored decomposed (before unicode22 composed input), a profile in
    /// both forms. Upgraded, the older of each colliding pair keeps its name, the later one gets
    /// a " (2)" suffix and a warning line; decomposed names are composed and found in either form.
    @Test func anUpgradedDatabaseComposesItsNamesAndKeepsBothOfACollidingPair() async throws {
        try await withUpgradedServer(UniqueNameSeeder.mainDatabase) { client, renamings in
            expectNames(try await client.labels.list(.keyword).map(\.name), ["ÉCOLE", "école (2)", "Café", "VIP", "VI\u{200B}P (2)"])
            expectNames(try await client.settings.industries().map(\.name), ["Café Society", "ACME", "ＡＣＭＥ (2)"])

            // The decomposed industry, composed, is found by either form.
            for name in ["Caf\u{E9} Society", "Cafe\u{301} society"] {
                let customer = try await client.customers.create(CustomerFields(name: "Bistro", industry: name))
                #expect(customer.industry == "Café Society")
            }
            let contact = try await client.contacts.create(
                customerID: try await client.customers.create(CustomerFields(name: "Lycée")).id,
                ContactFields(firstName: "Aino"), keywords: ["cafe\u{301}", "école"])
            #expect(Set(contact.keywords) == ["Café", "ÉCOLE"])

            let again = await #expect(throws: RPCError.self) { try await client.labels.create(.keyword, name: "École") }
            #expect(again?.code == .alreadyExists)
            #expect(again?.message.contains("the keyword 'ÉCOLE'") == true, "\(String(describing: again))")

            // The renamed one is an ordinary keyword the administrator can rename or delete.
            _ = try await client.labels.rename(.keyword, name: "ÉCOLE (2)", to: "ecole")
            let profiles = try await client.profiles.list().map(\.name)
            #expect(profiles.contains("Fältsäljare") && profiles.contains("Fältsäljare (2)"), "\(profiles)")

            let warnings = renamings()
            #expect(warnings.count == 4, "\(warnings)")
            #expect(warnings.contains { $0.contains("kept=VIP") && $0.contains("VI\u{200B}P (2)") }, "\(warnings)")
            #expect(warnings.contains { $0.contains("kept=ACME") && $0.contains("ＡＣＭＥ (2)") && $0.contains("industries") },
                    "\(warnings)")
            #expect(warnings.contains { $0.contains("ÉCOLE") && $0.contains("école (2)") && $0.contains("labels") },
                    "\(warnings)")
        }
    }

    /// A database a version-26 server wrote (names25): keywords "VIP" and "VIP\u{FE0F}", industries
    /// "AB" and "A\u{3164}B", users "ab" and "a\u{034F}b", each pair two names under version 26's
    /// fold, and industries of Hangul fillers alone, which show nothing. Upgraded (migration 27),
    /// the older of each pair keeps its name, the later gets " (2)" and a warning line; the blank
    /// industries are kept with keys of their own, found by their name to be renamed or deleted.
    @Test func anUpgradedVersion26DatabaseKeepsBothOfAPairOnlyInvisibleCharactersTellApart() async throws {
        try await withUpgradedServer(UniqueNameSeeder.version26Database) { client, renamings in
            expectNames(try await client.labels.list(.keyword).map(\.name), ["VIP", "VIP\u{FE0F} (2)"])
            expectNames(try await client.settings.industries().map(\.name), ["AB", "A\u{3164}B (2)", "\u{3164}", "\u{115F}"])
            let users = try await client.users.list().map { Array($0.name.unicodeScalars) }
            #expect(users.contains(Array("a\u{034F}b (2)".unicodeScalars)), "\(users)")

            let again = await #expect(throws: RPCError.self) { try await client.labels.create(.keyword, name: "vip\u{FE0F}") }
            #expect(again?.code == .alreadyExists)
            #expect(again?.message.contains("the keyword 'VIP'") == true, "\(String(describing: again))")
            _ = try await client.settings.renameIndustry("\u{3164}", to: "Hangul")
            _ = try await client.settings.deleteIndustry("\u{115F}")
            #expect(Set(try await client.settings.industries().map(\.name)) == ["AB", "A\u{3164}B (2)", "Hangul"])

            let warnings = renamings()
            #expect(warnings.count == 3, "\(warnings)")
            #expect(warnings.contains { $0.contains("kept=VIP") && $0.contains("VIP\u{FE0F} (2)") && $0.contains("labels") },
                    "\(warnings)")
            #expect(warnings.contains { $0.contains("kept=AB") && $0.contains("A\u{3164}B (2)") && $0.contains("industries") },
                    "\(warnings)")
        }
    }

    /// Starts a server on the database `seed` writes; `body` gets its client and the warning
    /// lines it logged for names its migrations renamed.
    private func withUpgradedServer(_ seed: @escaping @Sendable () throws -> URL,
                                    _ body: (CustomerClient, () -> [String]) async throws -> Void) async throws {
        let directory = try await onThread(seed)
        let log = LogCapture(label: "customerd", level: .warning)
        try await withTestServer(start: { try TestServer(directory: directory, logger: log.logger) },
                                 stop: { $0.stop() }) { server in
            try await body(server.client(), { log.all.filter { $0.contains("a name was renamed") } })
        }
    }

    /// Expects `names` to be `expected` in any order, code point for code point (Swift's `==` on
    /// strings would take a decomposed name for its composed form).
    private func expectNames(_ names: [String], _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Set(names.map { Array($0.unicodeScalars) }) == Set(expected.map { Array($0.unicodeScalars) }), "\(names)",
                sourceLocation: sourceLocation)
    }
}

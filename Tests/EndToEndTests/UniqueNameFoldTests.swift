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
                let refused = await #expect(throws: RPCError.self) { try await client.labels.create(.keyword, name: spoof) }
                #expect(refused?.code == .alreadyExists, "\(spoof.unicodeScalars.map(\.value))")
                #expect(refused?.message.contains("the keyword 'VIP'") == true, "\(String(describing: refused))")
            }
            let customer = try await client.customers.create(CustomerFields(name: "Lycée"))
            let contact = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Aino"),
                                                           keywords: ["VI\u{200B}P"])
            #expect(contact.keywords == ["VIP"])

            _ = try await client.settings.createIndustry("ACME")
            let industry = await #expect(throws: RPCError.self) { try await client.settings.createIndustry("ＡＣＭＥ") }
            #expect(industry?.code == .alreadyExists)
            #expect(industry?.message.contains("the industry 'ACME'") == true, "\(String(describing: industry))")

            _ = try await client.profiles.create(name: "ﬁrma", rights: Rights(readCustomers: .all))
            let profile = await #expect(throws: RPCError.self) {
                try await client.profiles.create(name: "Firma", rights: Rights(readCustomers: .all))
            }
            #expect(profile?.code == .alreadyExists)
            #expect(try await client.profiles.get(name: "firma").name == "ﬁrma")

            _ = try await client.users.add(uid: 70_011, name: "Jörg")
            let user = await #expect(throws: RPCError.self) { try await client.users.add(uid: 70_012, name: "Jö\u{200D}rg") }
            #expect(user?.code == .alreadyExists)
            // Accents still count: a different name.
            _ = try await client.users.add(uid: 70_013, name: "Jorg")
        }
    }

    /// A database main wrote: keywords "ÉCOLE" and "école" (both taken under ASCII-only NOCASE), a
    /// keyword and an industry stored decomposed (before unicode22 composed input), a profile in
    /// both forms. Upgraded, the older of each colliding pair keeps its name, the later one gets
    /// a " (2)" suffix and a warning line; decomposed names are composed and found in either form.
    @Test func anUpgradedDatabaseComposesItsNamesAndKeepsBothOfACollidingPair() async throws {
        let directory = try await onThread { try UniqueNameSeeder.mainDatabase() }
        let log = LogCapture(label: "customerd", level: .warning)
        try await withTestServer(start: { try TestServer(directory: directory, logger: log.logger) },
                                 stop: { $0.stop() }) { server in
            let client = server.client()
            let keywords = try await client.labels.list(.keyword)
            #expect(Set(keywords.map { Array($0.name.unicodeScalars) })
                    == Set(["ÉCOLE", "école (2)", "Café", "VIP", "VI\u{200B}P (2)"].map { Array($0.unicodeScalars) }),
                    "\(keywords)")
            let industries = try await client.settings.industries()
            #expect(Set(industries.map { Array($0.name.unicodeScalars) })
                    == Set(["Café Society", "ACME", "ＡＣＭＥ (2)"].map { Array($0.unicodeScalars) }), "\(industries)")

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

            let warnings = log.all.filter { $0.contains("a name was renamed") }
            #expect(warnings.count == 4, "\(log.all)")
            #expect(warnings.contains { $0.contains("kept=VIP") && $0.contains("VI\u{200B}P (2)") }, "\(warnings)")
            #expect(warnings.contains { $0.contains("kept=ACME") && $0.contains("ＡＣＭＥ (2)") && $0.contains("industries") },
                    "\(warnings)")
            #expect(warnings.contains { $0.contains("ÉCOLE") && $0.contains("école (2)") && $0.contains("labels") },
                    "\(warnings)")
        }
    }
}

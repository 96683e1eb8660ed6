import CustomerClient
import Foundation
import Testing

/// A trusted service (this process, as `tester`) names the person it acts for in the call's
/// metadata; the call is checked and recorded as that person, with the service named too.
@Suite struct ActingForTests {
    /// The service itself may do everything, so any refusal below comes from the person's profile.
    static let serviceProfile = BuiltIn.administrator.rawValue

    @Test func aTrustedServiceActsAsThePersonAndTheHistoryNamesBoth() async throws {
        try await withPermissionServer(profile: Self.serviceProfile, trusted: true) { fixture in
            let client = fixture.client
            let asColleague = CallOptions.acting(for: PermissionSeed.colleague)
            let me = try await client.users.whoAmI(options: asColleague)
            #expect(me.name == PermissionSeed.colleague && me.profile == "Sales")
            #expect(me.actingService?.name == PermissionSeed.me)

            // Checked as the colleague (Sales: edit own only), not as the service (Administrator).
            let refused = await outcome {
                _ = try await client.customers.update(id: fixture.seed.ownCustomer, CustomerFields(industry: "x"), options: asColleague)
            }
            #expect(refused?.code == .permissionDenied)
            #expect(refused?.message.contains("user '\(PermissionSeed.colleague)' (acting through the service '\(PermissionSeed.me)')") == true)

            let updated = try await client.customers.update(
                id: fixture.seed.otherCustomer, CustomerFields(industry: "Mining"), options: asColleague)
            #expect(updated.updatedBy.name == PermissionSeed.colleague)
            let entry = try #require(try await client.history.list(.customer, id: fixture.seed.otherCustomer).last)
            #expect(entry.by.name == PermissionSeed.colleague)
            #expect(entry.via?.name == PermissionSeed.me)
            // The service's own calls are recorded as itself, with no one in between.
            _ = try await client.customers.update(id: fixture.seed.otherCustomer, CustomerFields(industry: "Energy"))
            let own = try #require(try await client.history.list(.customer, id: fixture.seed.otherCustomer).last)
            #expect(own.by.name == PermissionSeed.me && own.via == nil)
        }
    }

    /// A connection thread's calls of one uid calling as itself share the caller it made for the
    /// first (`UserDirectory.keptCaller`): a call naming a person in between is still that person's,
    /// and the next own call the service's again.
    @Test func ownCallsAndCallsForAPersonAlternateOnOneConnection() async throws {
        try await withPermissionServer(profile: Self.serviceProfile, trusted: true) { fixture in
            let client = fixture.client
            let asColleague = CallOptions.acting(for: PermissionSeed.colleague)
            for _ in 0..<3 {
                let own = try await client.users.whoAmI()
                #expect(own.name == PermissionSeed.me && own.actingService == nil)
                let acting = try await client.users.whoAmI(options: asColleague)
                #expect(acting.name == PermissionSeed.colleague && acting.actingService?.name == PermissionSeed.me)
            }
        }
    }

    @Test func namingSomeoneWithoutTrustIsRefusedLoggedAndChangesNothing() async throws {
        try await withPermissionServer(profile: Self.serviceProfile, trusted: false) { fixture in
            let before = try fixture.snapshot()
            let error = await outcome {
                _ = try await fixture.client.customers.create(
                    CustomerFields(name: "Sneaky"), options: .acting(for: PermissionSeed.colleague))
            }
            #expect(error?.code == .permissionDenied)
            #expect(error?.message.contains("is not a trusted service") == true)
            #expect(error?.details == [ErrorDetail(field: "acting-for", reason: "not a trusted service")])
            #expect(try fixture.snapshot() == before)
            #expect(fixture.log.refusals.count == 1)
            #expect(fixture.log.refusals.first?.contains("method=customer.v1.CustomerService/CreateCustomer") == true)
        }
    }

    /// A trusted service's `acting-for` name is logged as sent when it names nobody: the log line
    /// showed C0 escaped but DEL, C1 (U+009B is a terminal's CSI), the line separator (a forged
    /// second event where a log viewer breaks lines) and a right-to-left override (the rest of the
    /// line reversed) as they came, on the administrator's terminal.
    @Test func aPersonNamedWithTerminalControlsIsLoggedEscapedOnOneLine() async throws {
        try await withPermissionServer(profile: Self.serviceProfile, trusted: true) { fixture in
            let forged = "nobody\u{2028}2026-12-06T20:00:00.000Z critical customerd: \u{202E}txet desrever\u{202C}"
                + "\u{9B}2J\u{7F}\u{2029}\u{2066}x"
            let error = await outcome {
                _ = try await fixture.client.users.whoAmI(options: .acting(for: forged))
            }
            #expect(error?.code == .unauthenticated, "\(String(describing: error))")
            let line = try #require(fixture.log.refusals.last)
            for raw: Unicode.Scalar in ["\u{2028}", "\u{2029}", "\u{202E}", "\u{202C}", "\u{9B}", "\u{7F}", "\u{2066}"] {
                #expect(!line.unicodeScalars.contains(raw), "U+\(String(raw.value, radix: 16)) raw in \(line)")
            }
            #expect(line.contains("user=\"nobody\\u{2028}2026-12-06T20:00:00.000Z critical customerd: \\u{202E}txet desrever"
                + "\\u{202C}\\u{9B}2J\\u{7F}\\u{2029}\\u{2066}x\""), "\(line)")
            #expect(line.split(separator: "\n").count == 1)
        }
    }

    /// Two `acting-for` entries (a service that forwards its client's metadata and adds its own
    /// after it): the first one counted, so the client chose whom the call ran as. Now refused,
    /// whatever the names, and nothing is written.
    @Test func namingTwoPeopleIsRefusedAndChangesNothing() async throws {
        try await withPermissionServer(profile: Self.serviceProfile, trusted: true) { fixture in
            let before = try fixture.snapshot()
            for names in [[PermissionSeed.boss, PermissionSeed.colleague], [PermissionSeed.colleague, PermissionSeed.colleague]] {
                var options = CallOptions()
                for name in names { options.metadata.add(ActingFor.metadataKey, name) }
                let error = await outcome {
                    _ = try await fixture.client.customers.create(CustomerFields(name: "Smuggled"), options: options)
                }
                #expect(error?.code == .invalidArgument, "\(String(describing: error))")
                #expect(error?.details == [ErrorDetail(field: "acting-for", reason: "given 2 times; a call acts for one person: send it once")])
                #expect(error?.message == "acting-for: given 2 times; a call acts for one person: send it once")
            }
            #expect(try fixture.snapshot() == before)
            #expect(try await fixture.client.users.whoAmI(options: .acting(for: PermissionSeed.colleague)).name == PermissionSeed.colleague)
        }
    }

    /// The client library's `act(for:)` names one person however often it is called: the last.
    @Test func actingForTwiceInTheClientNamesTheLastPerson() async throws {
        try await withPermissionServer(profile: Self.serviceProfile, trusted: true) { fixture in
            var options = CallOptions.acting(for: PermissionSeed.boss)
            options.act(for: PermissionSeed.colleague)
            #expect(options.metadata.filter { $0.key == ActingFor.metadataKey }.count == 1)
            let person = try await fixture.client.users.whoAmI(options: options)
            #expect(person.name == PermissionSeed.colleague)
        }
    }

    @Test func anUnknownOrDeactivatedPersonIsRefused() async throws {
        try await withPermissionServer(profile: Self.serviceProfile, trusted: true) { fixture in
            let client = fixture.client
            let unknown = await outcome { _ = try await client.users.whoAmI(options: .acting(for: "nobody")) }
            #expect(unknown?.code == .unauthenticated)
            _ = try await client.users.deactivate(user: PermissionSeed.spare)
            let deactivated = await outcome { _ = try await client.users.whoAmI(options: .acting(for: PermissionSeed.spare)) }
            #expect(deactivated?.code == .unauthenticated)
            #expect(deactivated?.message.contains("who is not an active user") == true)
        }
    }

    @Test func trustIsGrantedAndTakenAwayByAnAdministrator() async throws {
        try await withPermissionServer(profile: Self.serviceProfile) { fixture in
            let client = fixture.client
            let asSpare = CallOptions.acting(for: PermissionSeed.spare)
            let untrusted = await outcome { _ = try await client.users.whoAmI(options: asSpare) }
            #expect(untrusted?.code == .permissionDenied)
            let trusted = try await client.users.setTrustedService(user: PermissionSeed.me)
            #expect(trusted.trustedService == true)
            let person = try await client.users.whoAmI(options: asSpare)
            #expect(person.name == PermissionSeed.spare)
            let revoked = try await client.users.setTrustedService(user: PermissionSeed.me, false)
            #expect(revoked.trustedService == false)
            let again = await outcome { _ = try await client.users.whoAmI(options: asSpare) }
            #expect(again?.code == .permissionDenied)
        }
    }

    /// Idempotency keys are the service's (one OS user), yet a key one person's call used is not
    /// replayed for another: the person is part of what the key stands for. Another person sending
    /// the same request under the key, or the service for itself, is refused and gets nothing of
    /// the first answer (the customer, which the second person may not be allowed to see).
    @Test func aKeyUsedForOnePersonIsNotReplayedForAnother() async throws {
        try await withPermissionServer(profile: Self.serviceProfile, trusted: true) { fixture in
            let client = fixture.client
            var asColleague = CallOptions.acting(for: PermissionSeed.colleague)
            asColleague.idempotencyKey = "race-1"
            let fields = CustomerFields(name: "Keyed Oy", accountManager: PermissionSeed.colleague)
            let created = try await client.customers.create(fields, options: asColleague)
            #expect(try await client.customers.create(fields, options: asColleague) == created)
            let before = try fixture.snapshot()

            var asBoss = CallOptions.acting(for: PermissionSeed.boss)
            asBoss.idempotencyKey = "race-1"
            var asService = CallOptions()
            asService.idempotencyKey = "race-1"
            for options in [asBoss, asService] {
                let refused = await outcome { _ = try await client.customers.create(fields, options: options) }
                #expect(refused?.code == .failedPrecondition)
                #expect(refused?.details.map(\.field) == ["idempotency-key"])
                #expect(refused?.message.hasPrefix("idempotency-key: already used for another request") == true)
                #expect(refused?.message.contains("Keyed Oy") == false)
            }
            #expect(try fixture.snapshot() == before)
        }
    }
}

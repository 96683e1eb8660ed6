import TestSupport
import CustomerClient
import Foundation
import RegistryTestSupport
import Testing

/// What a refresh tells before money moves: the company's standing (proceedings, VAT register,
/// deregistration, branch), kept on the customer and in its history, against a real server and
/// a loopback registry serving PRH and Brønnøysund documents.
@Suite struct RegistryStandingTests {
    @Test func aBankruptcyIsReportedOnTheDryRunThenKeptOnTheCustomerAndInItsHistory() async throws {
        try await withRegistryServer { _, client, registry in
            let customer = try await client.customers.create(CustomerFields(
                name: "Esimerkki Oy", vatNumber: RegistryCompanies.finnishBankruptVAT, country: "FI"))
            let standing = "bankruptcy since 2024-01-15 (KONK); VAT-register entry ended on 2024-03-31"

            let dryRun = try await client.customers.refreshFromRegistry(id: customer.id, dryRun: true)
            #expect(dryRun.standing == standing)
            #expect(dryRun.situations == [RegistrySituation(kind: "bankruptcy", code: "KONK", since: "2024-01-15")])
            #expect(dryRun.vatRegistration == RegistryVATRegistration(registered: false, date: "2024-03-31"))
            #expect(dryRun.warnings == [
                "the company is in bankruptcy since 2024-01-15 (KONK)",
                "the customer's VAT number FI76543212 is not backed by the VAT register "
                    + "(VAT-register entry ended on 2024-03-31): do not invoice it as VAT registered",
            ])
            // A bankrupt company's name is not taken unless asked for by name; its address is.
            #expect(dryRun.differences == [
                RegistryDifference(field: .name, current: "Esimerkki Oy", registry: "Konkurssi Esimerkki Oy",
                                   withheld: "the company is in bankruptcy: its name is taken only with --fields name"),
                RegistryDifference(field: .address, current: nil, registry: "Hämeenkatu 5, 33200 TAMPERE, FI"),
            ])
            // The dry run keeps nothing, not even the status.
            #expect(try await client.customers.get(id: customer.id) == customer)

            let refreshed = try await client.customers.refreshFromRegistry(id: customer.id)
            #expect(refreshed.applied)
            let stored = try await client.customers.get(id: customer.id)
            #expect(stored.name == "Esimerkki Oy")
            #expect(stored.headOffice?.street == ["Hämeenkatu 5"])
            #expect(stored.registryStatus == standing)
            let checkedAt = try #require(stored.registryCheckedAt)
            #expect(checkedAt >= customer.createdAt)

            let source = "registry: PRH YTJ open data v3 "
                + registry.url(RegistryPath.finnishCompany("7654321-2")).absoluteString
            let history = try await client.history.list(.customer, id: customer.id)
            #expect(history.map(\.action) == ["created", "headOfficeSet", "updated"])
            #expect(history.last?.source == source)
            #expect(history.last?.changes == [FieldChange(field: "registryStatus", oldValue: nil, newValue: standing)])

            // Named explicitly, the name is taken.
            let named = try await client.customers.refreshFromRegistry(id: customer.id, fields: [.name])
            #expect(named.differences.map(\.withheld) == [nil])
            #expect(try await client.customers.get(id: customer.id).name == "Konkurssi Esimerkki Oy")
        }
    }

    @Test func aNorwegianMVANumberTheVATRegisterDoesNotBackIsAWarningABareNumberIsNot() async throws {
        try await withRegistryServer { _, client, _ in
            let asserted = try await client.customers.create(CustomerFields(
                name: "Eksempel Handel AS", vatNumber: RegistryCompanies.norwegianBankruptVAT, country: "NO"))
            let result = try await client.customers.refreshFromRegistry(id: asserted.id, dryRun: true)
            #expect(result.standing == "bankruptcy since 2024-02-20 (konkurs); not VAT registered")
            #expect(result.warnings.contains(
                "the customer's VAT number NO973123459MVA is not backed by the VAT register (not VAT registered): "
                    + "do not invoice it as VAT registered"))

            // Typed bare, the organisation number asserts nothing about VAT: kept as the business id.
            let bare = try await client.customers.create(CustomerFields(
                name: "Eksempel Handel", vatNumber: "973 123 459", country: "NO"), allowDuplicateVat: true)
            #expect(bare.vatNumber == nil)
            #expect(bare.businessId == "973123459")
            let bareResult = try await client.customers.refreshFromRegistry(id: bare.id, dryRun: true)
            #expect(bareResult.warnings == ["the company is in bankruptcy since 2024-02-20 (konkurs)"])
        }
    }

    @Test func a410GoneIsADeregistrationAndTheNameIsNotTaken() async throws {
        try await withRegistryServer { _, client, _ in
            let customer = try await client.customers.create(CustomerFields(
                name: "Borte AS", vatNumber: RegistryCompanies.goneVAT, country: "NO"))
            let result = try await client.customers.refreshFromRegistry(id: customer.id)
            #expect(result.deregistered == RegistryDeregistration(
                date: nil, reason: "the unit was removed from Enhetsregisteret's open data (HTTP 410 Gone)"))
            #expect(result.standing == "deregistered")
            #expect(result.differences.isEmpty)
            #expect(!result.applied)
            let stored = try await client.customers.get(id: customer.id)
            #expect(stored.active)
            #expect(stored.name == "Borte AS")
            #expect(stored.registryStatus == "deregistered")
        }
    }

    @Test func aBranchIsShownWithItsOwnAddressAndItsParentAndADeletedBranchIsReported() async throws {
        try await withRegistryServer { _, client, registry in
            let branch = try await client.customers.create(CustomerFields(
                name: "Equinor Sandsli", vatNumber: RegistryCompanies.branchNumber, country: "NO"))
            let result = try await client.customers.refreshFromRegistry(id: branch.id, dryRun: true)
            #expect(result.parent == RegistryParentUnit(businessId: "923609016", name: "EQUINOR ASA"))
            #expect(result.standing == "active; branch of 923609016 EQUINOR ASA; VAT registered")
            #expect(result.differences.map(\.registry) == ["EQUINOR ASA AVD SANDSLI", "Sandsliveien 90, 5254 SANDSLI, NO"])
            #expect(result.registry.url == registry.url(RegistryPath.norwegianSubUnit("971234563")).absoluteString)

            let deleted = try await client.customers.create(CustomerFields(
                name: "Eksempel Tromsø", vatNumber: RegistryCompanies.deletedBranchNumber, country: "NO"))
            let deletedResult = try await client.customers.refreshFromRegistry(id: deleted.id, dryRun: true)
            #expect(deletedResult.deregistered == RegistryDeregistration(
                date: "2022-08-31", reason: "the sub-unit was deleted from Enhetsregisteret (slettet)"))
        }
    }

    @Test func registryFailuresAreLoggedByTheServer() async throws {
        let log = LogCapture.refusalLog()
        try await withRegistryServer(logger: log.logger) { _, client, _ in
            let failing = try await client.customers.create(
                CustomerFields(name: "Failing AS", vatNumber: RegistryCompanies.failingVAT, country: "NO"))
            await #expect(throws: RPCError.self) { try await client.customers.refreshFromRegistry(id: failing.id) }
            let logged = log.all.filter { $0.contains("registry lookup failed") }
            #expect(logged.count == 1, "\(log.all)")
            #expect(logged.first?.contains("HTTP 500") == true)
            #expect(logged.first?.contains("customer=\(failing.id)") == true)
            #expect(logged.first?.contains("businessId=974760673") == true)
        }
    }

    @Test func theReadOnlyProfileMayDryRunButNotRefresh() async throws {
        try await withPermissionServer(profile: BuiltIn.readOnly.rawValue) { fixture in
            let dryRun = await outcome {
                _ = try await fixture.client.customers.refreshFromRegistry(id: fixture.seed.otherCustomer, dryRun: true)
            }
            // Past the permission check: refused for the customer's country, not for the caller.
            #expect(dryRun?.code == .failedPrecondition, "\(String(describing: dryRun))")
            let real = await outcome {
                _ = try await fixture.client.customers.refreshFromRegistry(id: fixture.seed.otherCustomer)
            }
            #expect(real?.code == .permissionDenied)
        }
    }

    @Test func theCommandLineShowsTheStatusAndNeverBothAppliedAndNotApplied() async throws {
        try await withRegistryServer { server, client, _ in
            let customer = try await client.customers.create(CustomerFields(
                name: "Eksempel AS", vatNumber: RegistryCompanies.deletedVAT, country: "NO", website: "eksempel.no"))
            let ctl = ["--socket", server.socketPath]
            let refresh = try await runProduct("customerctl", ctl + ["customers", "refresh", String(customer.id)])
            #expect(refresh.status == 0, "\(refresh.stderr)")
            #expect(refresh.stdout.contains("Status: deregistered on 2023-11-30\n"))
            #expect(refresh.stdout.contains(
                "name   Eksempel AS  EKSEMPEL SLETTET AS  the company is deregistered: its name is taken only with --fields name\n"))
            #expect(refresh.stdout.contains("Nothing applied: every difference was withheld.\n"))
            #expect(refresh.stdout.contains("Warning: the company is deregistered since 2023-11-30: "
                + "the unit was deleted from Enhetsregisteret (slettet); the customer was not deactivated.\n"))
            #expect(!refresh.stdout.contains("Not applied"))

            let show = try await runProduct("customerctl", ctl + ["customers", "get", String(customer.id)])
            #expect(show.status == 0, "\(show.stderr)")
            #expect(show.stdout.contains("registry status  deregistered on 2023-11-30 (checked "))
            #expect(show.stdout.contains("business id      812345672\n"))
            let json = try await runProduct("customerctl", ctl + ["customers", "get", String(customer.id), "--output", "json"])
            #expect(json.stdout.contains("\"registryStatus\" : \"deregistered on 2023-11-30\""))
            #expect(json.stdout.contains("\"registryCheckedAt\" : \""))
        }
    }
}

import CustomerClient
import Foundation
import RegistryTestSupport
import TestSupport
import Testing

/// `customerctl customers refresh` and customerd's registry options, run as built binaries.
@Suite struct RegistryCommandLineTests {
    func ctl(_ server: TestServer, _ arguments: String...) async throws -> ProcessResult {
        try await runProduct("customerctl", ["--socket", server.socketPath] + arguments)
    }

    @Test func aDryRunPrintsTheDifferencesAsATableWithTheNotes() async throws {
        try await withRegistryServer { server, client, registry in
            let customer = try await client.customers.create(CustomerFields(
                name: "Acme Oy", vatNumber: RegistryCompanies.nokiaVAT, country: "FI", website: "acme.fi"))
            let result = try await ctl(server, "customers", "refresh", String(customer.id), "--dry-run")

            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.isEmpty)
            let url = registry.url(RegistryPath.finnishCompany("0112038-9")).absoluteString
            #expect(result.stdout == """
                Registry: PRH YTJ open data v3 (\(url))
                Status: active; VAT registered since 1994-06-01
                FIELD    BEFORE           AFTER (REGISTRY)
                name     Acme Oy          Nokia Oyj
                address  -                Karakaari 7, 02610 ESPOO, FI
                website  https://acme.fi  www.nokia.com
                Dry run: nothing was changed.
                Email: PRH YTJ open data v3 publishes no email addresses (Finland's registry has none): \
                the email was not compared and stays as it is.

                """)
            #expect(try await client.customers.get(id: customer.id) == customer)
        }
    }

    @Test func chosenFieldsAreAppliedAndJSONNamesThem() async throws {
        try await withRegistryServer { server, client, _ in
            let customer = try await client.customers.create(CustomerFields(
                name: "Eksempel AS", vatNumber: RegistryCompanies.deletedVAT, country: "NO"))
            let table = try await ctl(server, "customers", "refresh", String(customer.id), "--fields", "name")
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("name   Eksempel AS  EKSEMPEL SLETTET AS\n"))
            #expect(table.stdout.contains("Applied: 1 field of customer \(customer.id) changed (now version 2).\n"))
            #expect(table.stdout.contains("Warning: the company is deregistered since 2023-11-30: "
                + "the unit was deleted from Enhetsregisteret (slettet); the customer was not deactivated.\n"))
            #expect(!table.stdout.contains("Not applied"))
            #expect(try await client.customers.get(id: customer.id).name == "EKSEMPEL SLETTET AS")

            let json = try await ctl(server, "customers", "refresh", String(customer.id), "--fields", "name, website",
                                     "--dry-run", "--output", "json")
            #expect(json.status == 0, "\(json.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect((object["differences"] as? [Any])?.isEmpty == true)
            #expect(object["applied"] as? Bool == false)
            #expect((object["deregistered"] as? [String: Any])?["date"] as? String == "2023-11-30")
            #expect((object["registry"] as? [String: Any])?["name"] as? String == "Brønnøysund Enhetsregisteret")
        }
    }

    @Test func wrongFieldsAreAUsageErrorAndRefusalsExitWithTheirStatus() async throws {
        try await withRegistryServer { server, client, _ in
            let bad = try await ctl(server, "customers", "refresh", "1", "--fields", "name,phone")
            #expect(bad.status == 64)
            #expect(bad.stderr.hasPrefix("Error: --fields takes name, address, email, website (comma-separated), got 'phone'"))

            let swedish = try await client.customers.create(CustomerFields(name: "Volvo AB", country: "SE"))
            let refused = try await ctl(server, "customers", "refresh", String(swedish.id))
            #expect(refused.status == 19)  // 10 + FAILED_PRECONDITION
            #expect(refused.stderr.hasPrefix("Error: FAILED_PRECONDITION: country: customer \(swedish.id) is in SE"))

            let help = try await runProduct("customerctl", ["help", "customers", "refresh"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("USAGE: customerctl customers refresh ID [--fields name,address,email,website] [--dry-run]"))
            #expect(help.stdout.contains("customerctl customers refresh 42 --dry-run"))
        }
    }

    @Test func customerdTakesRegistryURLsAndATimeout() async throws {
        let help = try await runProduct("customerd", ["--help"])
        #expect(help.stdout.contains("--registry-url CC=URL"))
        #expect(help.stdout.contains("--registry-timeout SECONDS"))
        #expect(help.stdout.contains("customerd --registry-url fi=http://127.0.0.1:8080/v3"))

        let wrongCountry = try await runProduct("customerd", ["--registry-url", "se=http://127.0.0.1:1/x"])
        #expect(wrongCountry.status == 64)
        #expect(wrongCountry.stderr.hasPrefix(
            "Error: --registry-url: no registry provider for country \"SE\" (supported: FI, NO)"))
        let wrongTimeout = try await runProduct("customerd", ["--registry-timeout", "0"])
        #expect(wrongTimeout.status == 64)
        #expect(wrongTimeout.stderr.contains("--registry-timeout needs a number of seconds above 0"))

        // A real daemon asks the registry its options name.
        let registry = try LoopbackHTTPServer(routes: try RegistryCompanies.routes())
        defer { registry.stop() }
        let directory = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("d.sock").path
        let options = registry.registryURLOptions.flatMap { ["--registry-url", $0] } + ["--registry-timeout", "60"]
        let daemon = try startDaemon(
            socket: socket, database: directory.appendingPathComponent("c.sqlite").path, arguments: options)
        defer { daemon.killInBackground() }
        let client = CustomerClient(socketPath: socket)
        defer { client.close() }
        try await waitUntilServing(client)
        let customer = try await client.customers.create(
            CustomerFields(name: "EQUINOR ASA", vatNumber: RegistryCompanies.equinorVAT, country: "NO"))
        let result = try await client.customers.refreshFromRegistry(id: customer.id, dryRun: true)
        #expect(result.registry.url == registry.url(RegistryPath.norwegianUnit("923609016")).absoluteString)
        #expect(result.differences.map(\.field) == [.address, .website])
    }
}

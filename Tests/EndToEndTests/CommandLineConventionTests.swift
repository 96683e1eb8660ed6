import CustomerClient
import Foundation
import Testing

/// The conventions a person or a script expects of every CustomerCard program: `--version`,
/// short flags, a usage on a bare command, errors in the command line's own terms, JSON a
/// program can trust, and `call` for any method.
@Suite struct CommandLineConventionTests {
    func ctl(_ server: TestServer, _ arguments: String...) async throws -> ProcessResult {
        try await runProduct("customerctl", ["--socket", server.socketPath] + arguments)
    }

    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test func everyExecutablePrintsTheOneVersion() async throws {
        try await withServer { _, client in
            let serverVersion = try await client.server.info().serverVersion
            #expect(!serverVersion.isEmpty)
            for program in ["customerd", "customerctl", "customer-bench"] {
                let result = try await runProduct(program, ["--version"])
                #expect(result.status == 0, "\(program): \(result.stderr)")
                #expect(result.stdout == "\(program) \(serverVersion)\n")
                #expect(result.stderr.isEmpty, "\(program)")
            }
        }
    }

    @Test func dashOIsOutputAndDashHIsHelp() async throws {
        try await withServer { server, client in
            let created = try await client.customers.create(CustomerFields(name: "Short Flag Oy", country: "FI"))
            let one = try await ctl(server, "customers", "get", String(created.id), "-o", "json")
            #expect(one.status == 0, "\(one.stderr)")
            #expect((try json(one.stdout) as? [String: Any])?["name"] as? String == "Short Flag Oy")
            let list = try await ctl(server, "-o", "json", "customers", "list")
            #expect(list.status == 0, "\(list.stderr)")
            #expect((try json(list.stdout) as? [Any])?.count == 1)

            let help = try await runProduct("customerctl", ["customers", "list", "-h"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("USAGE: customerctl customers list"))
            #expect(help.stdout.contains("-o, --output table|json"))
        }
    }

    @Test func aBareCustomerctlPrintsTheCommandGroupsAndExits64() async throws {
        let bare = try await runProduct("customerctl", [])
        #expect(bare.status == 64)
        #expect(bare.stdout.isEmpty)
        #expect(bare.stderr.contains("USAGE: customerctl"))
        #expect(bare.stderr.contains("COMMAND GROUPS:"))
        #expect(bare.stderr.contains("Basic data:"))
        #expect(bare.stderr.contains("customers, addresses, history"))
        #expect(bare.stderr.split(separator: "\n").count < 20, "short: \(bare.stderr)")

        let help = try await runProduct("customerctl", ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("COMMANDS (by tab of the customer card):"))
        #expect(help.stdout.contains("  Contacts:\n    contacts add"))
        #expect(help.stdout.contains("    call "))
    }

    @Test func everyUsageLineListsEveryOption() async throws {
        let help = try await runProduct("customerctl", ["customers", "list", "--help"])
        let usage = help.stdout.split(separator: "\n").first { $0.hasPrefix("USAGE:") } ?? ""
        for option in ["--search", "--country", "--order", "--all", "--inactive"] {
            #expect(usage.contains(option), "\(usage)")
        }
    }

    @Test func errorsNameTheFlagAndSayTheDetailOnce() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(
                CustomerFields(name: "Nokia Oyj", vatNumber: "FI01120389", country: "FI"))

            let unconfirmed = try await ctl(server, "customers", "delete", String(customer.id))
            #expect(unconfirmed.status == 19)
            #expect(unconfirmed.stderr.contains("add --confirm to delete it"), "\(unconfirmed.stderr)")
            #expect(!unconfirmed.stderr.contains("confirm=true"))
            #expect(!unconfirmed.stderr.contains("must be true"), "said once: \(unconfirmed.stderr)")

            let duplicate = try await ctl(server, "customers", "create", "--name", "Nokia, Espoo", "--country", "FI",
                                          "--vat", "FI01120389")
            #expect(duplicate.status == 16)  // 10 + ALREADY_EXISTS
            #expect(duplicate.stderr.contains("add --allow-duplicate-vat if both records are intended"), "\(duplicate.stderr)")
            #expect(!duplicate.stderr.contains("allowDuplicateVat"))
            #expect(duplicate.stderr.contains("ALREADY_EXISTS: --vat: customer "), "\(duplicate.stderr)")

            let badCheckDigit = try await ctl(server, "customers", "create", "--name", "Wrong Oy", "--country", "FI",
                                              "--vat", "0112038-8")
            #expect(badCheckDigit.status == 13)
            #expect(badCheckDigit.stderr.hasPrefix("Error: INVALID_ARGUMENT: --vat: "), "\(badCheckDigit.stderr)")
            #expect(!badCheckDigit.stderr.contains("invalid customer data"))
            #expect(badCheckDigit.stderr.components(separatedBy: "check digit").count == 2, "once: \(badCheckDigit.stderr)")

            _ = try await client.settings.createIndustry("Maritime")
            _ = try await client.customers.update(id: customer.id, CustomerFields(industry: "Maritime"))
            let inUse = try await ctl(server, "industries", "delete", "Maritime")
            #expect(inUse.status == 19)
            #expect(inUse.stderr.contains("delete it with --force"), "\(inUse.stderr)")
            #expect(!inUse.stderr.contains("force=true"))
        }
    }

    @Test func anAddressErrorDoesNotCallItCustomerData() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Addressed Oy", country: "FI"))
            let bad = try await ctl(server, "addresses", "add", String(customer.id), "--street", "Aurakatu 1",
                                    "--city", "Turku", "--country", "XX")
            #expect(bad.status == 13, "\(bad.stderr)")
            #expect(!bad.stderr.contains("customer data"), "\(bad.stderr)")
            #expect(bad.stderr.contains("--country"), "\(bad.stderr)")
        }
    }

    @Test func callBuildsAnyRequestFromJSONAndPrintsTheAnswerAsJSON() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Called Oy", country: "FI"))
            let get = try await ctl(server, "call", "customer.v1.CustomerService/GetCustomer", "--data", "{\"id\": \(customer.id)}")
            #expect(get.status == 0, "\(get.stderr)")
            let object = try json(get.stdout) as? [String: Any]
            #expect(object?["name"] as? String == "Called Oy")
            #expect(object?["id"] as? Int == Int(customer.id))
            let created = object?["createdAt"] as? String ?? ""
            #expect(created.hasSuffix("Z") && created.contains("T"), "ISO 8601 with its zone: \(created)")

            // An enum by its name in, and by its name out.
            let add = try await ctl(server, "call", "customer.v1.AddressService/AddAddress", "-d", """
                {"customerId": \(customer.id), "fields": {"street1": "Aurakatu 1", "city": "Turku", "country": "FI", "kind": "billing"}}
                """)
            #expect(add.status == 0, "\(add.stderr)")
            #expect((try json(add.stdout) as? [String: Any])?["kind"] as? String == "billing", "\(add.stdout)")
            #expect(try await client.addresses.list(customerID: customer.id).map(\.kind) == [.billing])
        }
    }

    @Test func callPrintsAServerStreamAsJSONLinesOrOneArray() async throws {
        try await withServer { server, client in
            for name in ["Streamed A Oy", "Streamed B Oy", "Streamed C Oy"] {
                _ = try await client.customers.create(CustomerFields(name: name, country: "FI"))
            }
            let method = "customer.v1.CustomerService/StreamCustomers"
            let lines = try await ctl(server, "call", method, "--data", "{\"query\": {\"order\": \"name\"}}")
            #expect(lines.status == 0, "\(lines.stderr)")
            let rows = try lines.stdout.split(separator: "\n").map { try json(String($0)) as? [String: Any] }
            #expect(rows.map { $0?["name"] as? String } == ["Streamed A Oy", "Streamed B Oy", "Streamed C Oy"], "\(lines.stdout)")
            let array = try await ctl(server, "-o", "json", "call", method, "-d", "{\"query\": {\"order\": \"name\"}}")
            #expect(array.status == 0, "\(array.stderr)")
            let objects = try json(array.stdout) as? [[String: Any]]
            #expect(objects?.map { $0["name"] as? String } == ["Streamed A Oy", "Streamed B Oy", "Streamed C Oy"],
                    "\(array.stdout)")
            let refused = try await ctl(server, "call", method, "--data", "{\"query\": {\"order\": \"size\"}}")
            #expect(refused.status == 64, "\(refused.stderr)")
            #expect(refused.stdout.isEmpty)
        }
    }

    @Test func callSendsJSONLinesFromStdinToAClientStream() async throws {
        try await withServer { server, client in
            let method = "customer.v1.CustomerService/ImportCustomers"
            let input = """
                {"options": {"continueOnError": false}}

                {"rows": [{"line": 2, "fields": {"name": "Piped A Oy", "country": "FI"}}]}
                {"rows": [{"line": 3, "fields": {"name": "Piped B Oy", "country": "FI"}}]}
                """
            let directory = try TestServer.makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("requests.jsonl")
            try input.write(to: file, atomically: true, encoding: .utf8)
            let customerctl = try Products.url(of: "customerctl").path
            let piped = try await runExecutable("/bin/sh", ["-c", "exec \"$0\" --socket \"$1\" call \"$2\" < \"$3\"",
                                                            customerctl, server.socketPath, method, file.path])
            #expect(piped.status == 0, "\(piped.stderr)")
            let answer = try json(piped.stdout) as? [String: Any]
            #expect(answer?["imported"] as? Int == 2, "\(piped.stdout)")
            #expect(try await client.customers.list().customers.map(\.name).sorted() == ["Piped A Oy", "Piped B Oy"])

            // A line the message cannot take is refused by its number, and nothing is sent.
            let bad = try await ctl(server, "call", method, "--data", """
                {"rows": [{"fields": {"name": "Never Oy", "country": "FI"}}]}
                {"rows": [{"fields": {"nmae": "X"}}]}
                """)
            #expect(bad.status == 64, "\(bad.stderr)")
            #expect(bad.stderr.contains("line 2"), "\(bad.stderr)")
            #expect(bad.stderr.contains("has no field nmae"), "\(bad.stderr)")
            #expect(try await client.customers.list().customers.count == 2)
        }
    }

    @Test func callRefusesABadRequestBeforeSendingItNamingTheField() async throws {
        try await withServer { server, client in
            let unknownField = try await ctl(server, "call", "customer.v1.CustomerService/CreateCustomer",
                                             "--data", "{\"fields\": {\"nmae\": \"X\"}}")
            #expect(unknownField.status == 64)
            #expect(unknownField.stderr.contains("--data: fields.: CustomerFields has no field nmae")
                || unknownField.stderr.contains("has no field nmae"), "\(unknownField.stderr)")
            let notJSON = try await ctl(server, "call", "customer.v1.CustomerService/GetCustomer", "--data", "{id: 1")
            #expect(notJSON.status == 64)
            #expect(notJSON.stderr.contains("--data is not JSON"))
            let noMethod = try await ctl(server, "call", "customer.v1.CustomerService/Nope", "--data", "{}")
            #expect(noMethod.status == 15)  // 10 + NOT_FOUND
            #expect(noMethod.stderr.contains("GetCustomer"), "lists the methods: \(noMethod.stderr)")
            #expect(try await client.customers.list().customers.isEmpty)
        }
    }

    @Test func tablesShowMoneyWithItsCurrencysDecimalsAndTheIDsAFollowUpNeeds() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Tabled Oy"))
            let id = String(customer.id)
            let project = try await client.projects.createProject(customerID: customer.id, ProjectFields(name: "P", currency: "EUR"))
            let added = try await ctl(server, "tasks", "add", String(project.id), "--name", "Wireframes")
            #expect(added.status == 0, "\(added.stderr)")
            let lines = added.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("ID ") == true, "\(added.stdout)")
            let taskID = try #require(lines.dropFirst().first?.split(separator: " ").first.map(String.init))
            let done = try await ctl(server, "tasks", "done", taskID)
            #expect(done.status == 0, "the table's id is the one `tasks done` takes: \(done.stderr)")

            let forecast = try await ctl(server, "forecasts", "set", String(project.id), "--month", "2027-01", "--revenue", "0.1",
                                         "--cost", "20")
            #expect(forecast.status == 0, "\(forecast.stderr)")
            let summary = try await ctl(server, "forecasts", "summary", id)
            #expect(summary.stdout.contains("0.10"), "\(summary.stdout)")
            #expect(summary.stdout.contains("20.00"), "\(summary.stdout)")

            #expect(try await ctl(server, "settings", "update", id, "--channel", "email", "--invoice-email", "ap@tabled.fi").status == 0)
            let invoice = try await ctl(server, "invoices", "issue", id, "--total", "1240", "--currency", "EUR")
            #expect(invoice.status == 0, "\(invoice.stderr)")
            #expect(invoice.stdout.contains("1240.00 EUR"), "\(invoice.stdout)")
            let yen = try await ctl(server, "invoices", "issue", id, "--total", "1500", "--currency", "JPY")
            #expect(yen.stdout.contains("1500 JPY"), "\(yen.stdout)")
        }
    }
}

import CustomerClient
import Foundation
import Testing

/// The customerctl binary against a real server: what a person at a shell sees.
@Suite struct CommandLineTests {
    func ctl(_ server: TestServer, _ arguments: String...) async throws -> ProcessResult {
        try await runProduct("customerctl", ["--socket", server.socketPath] + arguments)
    }

    func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: text))
            }
            return date
        }
        return try decoder.decode(T.self, from: Data(text.utf8))
    }

    @Test func createGetUpdateListExportDeactivateActivateDelete() async throws {
        try await withServer { server, client in
            let create = try await ctl(
                server, "customers", "create", "--name", "Acme Oy", "--country", "FI", "--email", "info@acme.fi",
                "--output", "json")
            #expect(create.status == 0, "\(create.stderr)")
            let created = try decode(Customer.self, create.stdout)
            #expect(created.name == "Acme Oy")
            #expect(try await client.customers.get(id: created.id).email == "info@acme.fi")

            let get = try await ctl(server, "customers", "get", String(created.id))
            #expect(get.status == 0)
            #expect(get.stdout.contains("Acme Oy"))
            #expect(get.stdout.contains("info@acme.fi"))
            let byNumber = try await ctl(server, "customers", "get", "--number", String(created.number), "--output", "json")
            #expect(try decode(Customer.self, byNumber.stdout) == created)

            let update = try await ctl(
                server, "customers", "update", String(created.id), "--expect-version", "1", "--website", "acme.fi",
                "--output", "json")
            #expect(update.status == 0, "\(update.stderr)")
            #expect(try decode(Customer.self, update.stdout).website == "https://acme.fi")

            _ = try await client.customers.create(CustomerFields(name: "Beta AS", country: "NO"))
            let list = try await ctl(server, "customers", "list")
            #expect(list.status == 0)
            let lines = list.stdout.split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines[0].hasPrefix("ID"))
            #expect(lines[1].contains("Acme Oy"))
            #expect(lines[2].contains("Beta AS"))
            let listJSON = try await ctl(server, "customers", "list", "--country", "NO", "--output", "json")
            #expect(try decode([Customer].self, listJSON.stdout).map(\.name) == ["Beta AS"])

            let export = try await ctl(server, "customers", "export")
            #expect(export.status == 0)
            let exported = try export.stdout.split(separator: "\n").map { try decode([String: String].self, String($0)) }
            #expect(exported.map { $0["name"] } == ["Acme Oy", "Beta AS"])
            #expect(exported.first?["website"] == "https://acme.fi")

            let deactivate = try await ctl(server, "customers", "deactivate", String(created.id))
            #expect(deactivate.status == 0)
            #expect(try await client.customers.get(id: created.id).active == false)
            let activate = try await ctl(server, "customers", "activate", String(created.id))
            #expect(activate.status == 0)
            #expect(try await client.customers.get(id: created.id).active == true)

            let refused = try await ctl(server, "customers", "delete", String(created.id))
            #expect(refused.status == 19)  // 10 + FAILED_PRECONDITION
            #expect(refused.stderr.hasPrefix("Error: FAILED_PRECONDITION"))
            #expect(try await client.customers.get(id: created.id).active)
            let delete = try await ctl(server, "customers", "delete", String(created.id), "--confirm")
            #expect(delete.status == 0)
            #expect(delete.stdout == "Customer \(created.id) deleted.\n")
        }
    }

    @Test func errorsAreOneLineOnStderrWithTheStatusExitCode() async throws {
        try await withServer { server, _ in
            let invalid = try await ctl(server, "customers", "create", "--name", "Acme", "--email", "nope")
            #expect(invalid.status == 13)  // 10 + INVALID_ARGUMENT
            #expect(invalid.stdout.isEmpty)
            #expect(invalid.stderr.hasPrefix("Error: INVALID_ARGUMENT"))
            #expect(invalid.stderr.contains("email"))
            #expect(invalid.stderr.split(separator: "\n").count == 1)

            let missing = try await ctl(server, "customers", "get", "12345")
            #expect(missing.status == 15)  // 10 + NOT_FOUND

            let stale = try await ctl(server, "customers", "create", "--name", "V")
            #expect(stale.status == 0)
            let conflict = try await ctl(server, "customers", "update", "1", "--expect-version", "7", "--name", "W")
            #expect(conflict.status == 20)  // 10 + ABORTED
        }
    }

    @Test func anUnreachableServerIsUnavailable() async throws {
        let result = try await runProduct("customerctl", ["--socket", "/tmp/cc-no-such-dir/none.sock", "customers", "list"])
        #expect(result.status == 24)  // 10 + UNAVAILABLE
        #expect(result.stderr.hasPrefix("Error: UNAVAILABLE"))
        #expect(result.stderr.contains("/tmp/cc-no-such-dir/none.sock"))
    }

    @Test func usageMistakesExit64WithAHint() async throws {
        let typo = try await runProduct("customerctl", ["custmers", "list"])
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("Error: unknown command 'custmers'"))
        #expect(typo.stderr.contains("Did you mean 'customers'?"))

        let badOption = try await runProduct("customerctl", ["customers", "create", "--nmae", "X"])
        #expect(badOption.status == 64)
        #expect(badOption.stderr.contains("Did you mean '--name'?"))
        #expect(badOption.stderr.contains("Usage: customerctl customers create"))

        let missingID = try await runProduct("customerctl", ["customers", "get"])
        #expect(missingID.status == 64)
        #expect(missingID.stderr.contains("missing ID"))
    }

    @Test func helpIsOnStdoutWithExitZeroAtEveryLevel() async throws {
        for arguments in [["--help"], ["help"], ["-h"], ["help", "customers", "create"], ["customers", "create", "--help"], ["customers", "--help"], ["help", "customers"],
                          ["help", "--help"], ["help", "-h"], ["help", "customers", "create", "--help"]] {
            let result = try await runProduct("customerctl", arguments)
            #expect(result.status == 0, "\(arguments)")
            #expect(result.stderr.isEmpty, "\(arguments)")
            #expect(result.stdout.contains("USAGE: customerctl"), "\(arguments)")
        }
        let create = try await runProduct("customerctl", ["customers", "create", "--help"])
        #expect(create.stdout.contains("OVERVIEW: Create a customer."))
        #expect(create.stdout.contains("EXAMPLE:"))
        #expect(create.stdout.contains("--account-manager USER"))

        let daemon = try await runProduct("customerd", ["--help"])
        #expect(daemon.status == 0)
        #expect(daemon.stdout.contains("USAGE: customerd"))
        #expect(daemon.stdout.contains("EXIT CODES:"))
        let wrong = try await runProduct("customerd", ["--sockte", "x"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("Did you mean '--socket'?"))
    }

    @Test func usersAddAndList() async throws {
        try await withServer { server, _ in
            let add = try await ctl(server, "users", "add", "--uid", "6001", "--name", "carol")
            #expect(add.status == 0, "\(add.stderr)")
            let list = try await ctl(server, "users", "list", "--output", "json")
            // Not decoded as [User]: JSON names the rights' scopes ("all"), the Swift type reads numbers.
            let users = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
            #expect(users.contains { $0["name"] as? String == "carol" && $0["uid"] as? Int == 6001 })
        }
    }
}

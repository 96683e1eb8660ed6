import CustomerClient
import Foundation
import Testing

/// customerctl's profiles, users and whoami commands, and --as, as a person at a shell sees them.
@Suite struct PermissionCommandLineTests {
    func ctl(_ socketPath: String, _ arguments: String...) async throws -> ProcessResult {
        try await runProduct("customerctl", ["--socket", socketPath] + arguments)
    }

    func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            return try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
        }
        return try decoder.decode(T.self, from: Data(text.utf8))
    }

    /// The value column of a `FIELD  value` line of a table.
    func field(_ name: String, in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix(name + "  ") }
            .map { $0.dropFirst(name.count).trimmingCharacters(in: .whitespaces) }
    }

    @Test func profilesAreCreatedUpdatedListedAndShown() async throws {
        try await withServer { server, _ in
            let socket = server.socketPath
            let list = try await ctl(socket, "profiles", "list")
            #expect(list.status == 0, "\(list.stderr)")
            let rows = list.stdout.split(separator: "\n").map { $0.split(separator: "  ").first.map(String.init) ?? "" }
            #expect(rows == ["NAME", "Administrator", "Consultant", "Read only", "Sales"])
            #expect(list.stdout.contains("Sales          all customers   own customers   visible            no"))

            let create = try await ctl(socket, "profiles", "create", "Auditor", "--read-customers", "all",
                                       "--financial-figures", "visible")
            #expect(create.status == 0, "\(create.stderr)")
            #expect(field("customers: read", in: create.stdout) == "all customers")
            #expect(field("customers: edit", in: create.stdout) == "none")
            #expect(field("financial figures", in: create.stdout) == "visible")
            #expect(field("manage contacts", in: create.stdout) == "no")

            let update = try await ctl(socket, "profiles", "update", "Auditor", "--rename", "Auditors",
                                       "--manage-contacts", "yes", "--expect-version", "1", "--output", "json")
            #expect(update.status == 0, "\(update.stderr)")
            // JSON names the scopes as the tables do ("all", not 2).
            let updated = try JSONSerialization.jsonObject(with: Data(update.stdout.utf8)) as? [String: Any]
            let rights = updated?["rights"] as? [String: Any]
            #expect(updated?["name"] as? String == "Auditors" && updated?["version"] as? Int == 2)
            #expect(rights?["manageContacts"] as? Bool == true)
            #expect(rights?["readCustomers"] as? String == "all", "\(update.stdout)")

            let show = try await ctl(socket, "profiles", "show", "Read only")
            #expect(field("name", in: show.stdout) == "Read only (built in)")
            #expect(field("financial figures", in: show.stdout) == "hidden")

            let wrong = try await ctl(socket, "profiles", "create", "Odd", "--read-customers", "some")
            #expect(wrong.status == 64)
            #expect(wrong.stderr.hasPrefix("Error: --read-customers takes 'none', 'own' or 'all', got 'some'\n"))
        }
    }

    @Test func usersAreAddedGivenProfilesTrustedAndDeactivated() async throws {
        try await withServer { server, client in
            let socket = server.socketPath
            let add = try await ctl(socket, "users", "add", "--uid", "6101", "--name", "frank", "--profile", "Consultant")
            #expect(add.status == 0, "\(add.stderr)")
            #expect(add.stdout.contains("frank  Consultant  yes     no"))
            for arguments in [["set-profile", "frank", "Sales"], ["trust", "frank"], ["deactivate", "frank"]] {
                let result = try await runProduct("customerctl", ["--socket", socket, "users"] + arguments)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
            }
            let list = try await ctl(socket, "users", "list", "--output", "json")
            let users = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
            let frank = try #require(users.first { $0["name"] as? String == "frank" })
            #expect(frank["profile"] as? String == "Sales" && frank["trustedService"] as? Bool == true)
            #expect(frank["active"] as? Bool == false)
            _ = try await ctl(socket, "users", "activate", "frank")
            _ = try await ctl(socket, "users", "trust", "frank", "--revoke")
            let again = try #require(try await client.users.list().first { $0.name == "frank" })
            #expect(again.active && again.trustedService == false)

        }
    }

    @Test func whoamiPrintsTheProfileAndEveryRightWithFinancialFiguresHidden() async throws {
        try await withPermissionServer(profile: BuiltIn.readOnly.rawValue) { fixture in
            let socket = fixture.server.socketPath
            let whoami = try await ctl(socket, "whoami")
            #expect(whoami.status == 0, "\(whoami.stderr)")
            #expect(field("user", in: whoami.stdout)?.hasPrefix("\(PermissionSeed.me) (id ") == true)
            #expect(field("profile", in: whoami.stdout) == "Read only")
            let rights = ["customers: read", "customers: edit", "financial figures", "delete customers", "manage contacts",
                          "administration"].map { field($0, in: whoami.stdout) }
            #expect(rights == ["all customers", "none", "hidden", "no", "no", "no"])

            let refused = try await ctl(socket, "customers", "create", "--name", "Nope")
            #expect(refused.status == 17)
            #expect(refused.stderr.hasPrefix(
                "Error: PERMISSION_DENIED: customer.v1.CustomerService/CreateCustomer needs the right 'Customers: edit'; "
                    + "user '\(PermissionSeed.me)' has profile 'Read only', which does not grant it"))
        }
    }

    @Test func asActsForAPersonOnlyForATrustedServiceAndTheHistoryNamesBoth() async throws {
        try await withPermissionServer(profile: BuiltIn.administrator.rawValue) { fixture in
            let socket = fixture.server.socketPath
            let refused = try await ctl(socket, "--as", PermissionSeed.colleague, "whoami")
            #expect(refused.status == 17)
            #expect(refused.stderr.contains("is not a trusted service"))

            _ = try await ctl(socket, "users", "trust", PermissionSeed.me)
            let whoami = try await ctl(socket, "whoami", "--as", PermissionSeed.colleague)
            #expect(field("user", in: whoami.stdout)?.hasPrefix(PermissionSeed.colleague) == true)
            #expect(field("acting through", in: whoami.stdout)?.hasPrefix(PermissionSeed.me) == true)
            #expect(field("profile", in: whoami.stdout) == "Sales")

            let update = try await ctl(socket, "--as", PermissionSeed.colleague, "customers", "update",
                                       String(fixture.seed.otherCustomer), "--industry", "Mining")
            #expect(update.status == 0, "\(update.stderr)")
            let history = try await ctl(socket, "history", "customer", String(fixture.seed.otherCustomer))
            let last = history.stdout.split(separator: "\n").last.map(String.init) ?? ""
            let columns = last.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            #expect(columns.dropFirst() == ["\(PermissionSeed.colleague) via \(PermissionSeed.me)", "updated",
                                            "industry: - -> Mining"])
        }
    }

    @Test func helpDescribesTheNewCommandsAndAs() async throws {
        let overview = try await runProduct("customerctl", ["--help"])
        #expect(overview.stdout.contains("[--as USER]"))
        #expect(overview.stdout.contains("--as USER              Act for USER (trusted services only"))
        for command in ["profiles create", "profiles update", "profiles list", "profiles show", "users set-profile",
                        "users deactivate", "users activate", "users trust", "whoami"] {
            #expect(overview.stdout.contains("  \(command) "), "\(command) is not in the overview")
            let help = try await runProduct("customerctl", ["help"] + command.split(separator: " ").map(String.init))
            #expect(help.status == 0)
            #expect(help.stdout.hasPrefix("OVERVIEW: "))
            #expect(help.stdout.contains("USAGE: customerctl \(command)"))
        }
        let update = try await runProduct("customerctl", ["profiles", "update", "--help"])
        #expect(update.stdout.contains("--edit-customers none|own|all"))
    }
}

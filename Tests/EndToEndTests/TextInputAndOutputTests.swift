import CustomerClient
import Foundation
import TestSupport
import Testing

/// Text as a person types and reads it: control characters refused by field, stored text
/// printed escaped, never as terminal commands.
@Suite struct TextInputAndOutputTests {
    func ctl(_ server: TestServer, _ arguments: [String]) async throws -> ProcessResult {
        try await runProduct("customerctl", ["--socket", server.socketPath] + arguments)
    }

    @Test func aNULByteIsRefusedByFieldInsteadOfCuttingTheNameShort() async throws {
        try await withServer { _, client in
            let error = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(name: "Acme\0Hidden"))
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.details.map(\.field) == ["name"])
            let message = error?.message ?? ""
            #expect(message.contains("U+0000 (NUL)"), "\(message)")
            let written = try await client.customers.list(CustomerQuery(status: .all)).customers
            #expect(written.isEmpty)
        }
    }

    @Test func customerctlGetsAControlCharacterRefusedByFieldAndItsMessagePrintsSafely() async throws {
        try await withServer { server, client in
            let result = try await ctl(server, ["customers", "create", "--name", "Acme", "--phone", "+358 40 123 4567",
                                                "--description", "ok\nfine", "--industry", "Red\u{1B}[31m"])
            #expect(result.status == 13)  // 10 + INVALID_ARGUMENT
            #expect(result.stderr.hasPrefix("Error: INVALID_ARGUMENT"))
            #expect(result.stderr.contains("industry: must be one line without control characters (found U+001B (escape))"))
            #expect(!result.stderr.contains("\u{1B}"))
            #expect(try await client.customers.list(CustomerQuery(status: .all)).customers.isEmpty)
        }
    }

    /// A name only looked up (a user, a keyword) is refused by the same rule, and the refusal
    /// does not echo the control character as a "no user is named ..." answer did.
    @Test func aNameLookedUpWithAControlCharacterIsRefusedByFieldWithoutEchoingIt() async throws {
        try await withServer { _, client in
            let manager = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(name: "Acme", accountManager: "alice\u{1B}[2J"))
            }
            #expect(manager?.code == .invalidArgument)
            #expect(manager?.details.map(\.field) == ["accountManager"])
            let managerMessage = manager?.message ?? ""
            #expect(managerMessage.contains("accountManager: must be one line without control characters"))
            #expect(!managerMessage.unicodeScalars.contains("\u{1B}"))
            let customer = try await client.customers.create(CustomerFields(name: "Acme"))
            let contact = try await client.contacts.create(customerID: customer.id, ContactFields(firstName: "Aino"))
            let keyword = await #expect(throws: RPCError.self) {
                try await client.contacts.tag(id: contact.id, keywords: ["news\u{7}letter"])
            }
            #expect(keyword?.code == .invalidArgument)
            #expect(keyword?.details.map(\.field) == ["keywords"])
            let keywordMessage = keyword?.message ?? ""
            #expect(keywordMessage.contains("keywords: must be one line without control characters"))
            #expect(!keywordMessage.unicodeScalars.contains("\u{7}"))
            let written = try await client.customers.list(CustomerQuery(status: .all)).customers
            #expect(written.map(\.name) == ["Acme"])
        }
    }

    @Test func notesKeepTheirLinesAndTablesPrintThemEscaped() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let note = try await client.activities.note(customerID: customer.id, "Met Aino\n\tat the fair")
            #expect(note.subject == "Met Aino\n\tat the fair")
            let listed = try await ctl(server, ["activities", "list", String(customer.id)])
            #expect(listed.status == 0, "\(listed.stderr)")
            #expect(listed.stdout.contains("Met Aino\\n\\tat the fair"))
        }
    }

    /// Free text keeps bidirectional controls and separators (Arabic and Hebrew editors write
    /// them), and JSON printed them raw: a note's right-to-left override reordered what the
    /// administrator read (`Pay \u{202E}gnp.exe` shows as "Pay exe.png"). JSON now writes them in
    /// its own escapes, the same value for a program.
    @Test func jsonOutputShowsBidirectionalControlsAndSeparatorsAsEscapes() async throws {
        try await withServer { server, client in
            let description = "Pay \u{202E}gnp.exe\u{202C} now\u{2029}IBAN \u{2067}FI00\u{2069}\u{2028}end"
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy", description: description))
            #expect(customer.description == description)
            let get = try await ctl(server, ["customers", "get", String(customer.id), "--output", "json"])
            let export = try await ctl(server, ["customers", "export"])
            for result in [get, export] {
                #expect(result.status == 0, "\(result.stderr)")
                for raw: Unicode.Scalar in ["\u{202E}", "\u{202C}", "\u{2029}", "\u{2067}", "\u{2069}", "\u{2028}"] {
                    #expect(!result.stdout.unicodeScalars.contains(raw), "U+\(String(raw.value, radix: 16)) raw in \(result.stdout)")
                }
                #expect(result.stdout.contains(#"Pay \u202egnp.exe\u202c now\u2029IBAN \u2067FI00\u2069\u2028end"#), "\(result.stdout)")
            }
            let object = try JSONSerialization.jsonObject(with: Data(get.stdout.utf8)) as? [String: Any]
            #expect(object?["description"] as? String == description)
            let line = try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any]
            #expect(line?["description"] as? String == description)
        }
    }

    /// Text stored before control characters were refused is still printed as data, never as
    /// terminal commands: escape sequences and line breaks come out as visible escapes.
    @Test func storedControlCharactersArePrintedEscapedInTablesAndFieldLists() async throws {
        let name = "Evil\u{1B}]0;pwned\u{07}Corp\nFAKE ROW\u{9B}2J"
        let (directory, id) = try await onThread { try LegacyTextSeeder.seed(customerName: name) }
        try await withTestServer(start: { try TestServer(directory: directory) }, stop: { $0.stop() }) { server in
            let escaped = "Evil\\u{1B}]0;pwned\\u{7}Corp\\nFAKE ROW\\u{9B}2J"
            let list = try await ctl(server, ["customers", "list"])
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.stdout.split(separator: "\n").count == 2)
            #expect(list.stdout.contains(escaped))
            let get = try await ctl(server, ["customers", "get", String(id)])
            #expect(get.stdout.split(separator: "\n").contains { $0.hasPrefix("name ") && $0.hasSuffix(" \(escaped)") })
            for output in [list.stdout, get.stdout] {
                #expect(!output.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" })
            }
            // JSON is for programs: the text comes back whole, in JSON's own escapes.
            let json = try await ctl(server, ["customers", "get", String(id), "--output", "json"])
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(object?["name"] as? String == name)
        }
    }
}

import CustomerClient
import Foundation
import Testing

/// The contact-information commands of customerctl against a real server.
@Suite struct ContactCommandLineTests {
    func ctl(_ server: TestServer, _ arguments: String...) async throws -> ProcessResult {
        try await runProduct("customerctl", ["--socket", server.socketPath] + arguments)
    }

    @Test func aDeletedContactPrintsContactDeletedWhereItWasNamed() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let add = try await ctl(server, "contacts", "add", String(customer.id), "--first-name", "Aino", "--last-name", "Virtanen", "--output", "json")
            #expect(add.status == 0, "\(add.stderr)")
            let contact = try #require(try await client.contacts.list(customerID: customer.id).first)
            _ = try await client.activities.task(customerID: customer.id, "Call back", contactID: contact.id)
            #expect(try await ctl(server, "activities", "list", String(customer.id)).stdout.contains("Aino Virtanen"))

            let refused = try await ctl(server, "contacts", "delete", String(contact.id))
            #expect(refused.status == 19)
            let delete = try await ctl(server, "contacts", "delete", String(contact.id), "--confirm")
            #expect(delete.status == 0, "\(delete.stderr)")
            #expect(delete.stdout.contains("Contact deleted"))

            let activities = try await ctl(server, "activities", "list", String(customer.id))
            #expect(activities.stdout.contains("Contact deleted"))
            #expect(!activities.stdout.contains("Aino"))
            let get = try await ctl(server, "contacts", "get", String(contact.id))
            #expect(get.stdout.hasPrefix("Contact deleted"))
            let history = try await ctl(server, "history", "contact", String(contact.id))
            #expect(history.stdout.contains("Contact deleted"))
            #expect(!history.stdout.contains("Aino"))
            let edit = try await ctl(server, "contacts", "update", String(contact.id), "--first-name", "Back")
            #expect(edit.status == 19)
        }
    }

    /// Issue 16 §4: the main card shows the market segments, the address table who created each.
    @Test func theMainCardShowsSegmentsAndTheAddressTableItsCreator() async throws {
        try await withServer { server, client in
            let me = try await client.users.whoAmI()
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let industry = try await client.settings.createSegment("Industry")
            let machinery = try await client.settings.createSegment("Machinery", parentID: industry.id)
            _ = try await client.settings.setCustomerSegments(customerID: customer.id, [machinery.id])
            let address = try await client.addresses.add(customerID: customer.id, AddressFields(city: "Espoo", country: "FI"))

            let card = try await ctl(server, "customers", "show", String(customer.id))
            #expect(card.status == 0, "\(card.stderr)")
            #expect(card.stdout.contains("segments         Industry / Machinery"), "\(card.stdout)")
            let addresses = try await ctl(server, "addresses", "list", String(customer.id))
            #expect(addresses.stdout.contains("CREATED"), "\(addresses.stdout)")
            #expect(addresses.stdout.contains("\(address.createdAt.ISO8601Format()) by \(me.name)"), "\(addresses.stdout)")
            let json = try await client.cards.get(customerID: customer.id, tabs: [.contactInformation])
            #expect(json.contactInformation?.segments.map(\.id) == [machinery.id])
        }
    }

    @Test func theMailingListIsRFC4180CSV() async throws {
        try await withServer { server, client in
            _ = try await client.labels.create(.keyword, name: "newsletter")
            let acme = try await client.customers.create(CustomerFields(name: "Acme, \"The\" Company", email: "info@acme.fi"))
            _ = try await client.contacts.create(
                customerID: acme.id, ContactFields(firstName: "Aino", lastName: "Virtanen", email: "aino@acme.fi"), keywords: ["newsletter"])
            _ = try await client.contacts.create(
                customerID: acme.id, ContactFields(firstName: "Comma, Inside", email: "lb@acme.fi"), keywords: ["newsletter"])
            let csv = try await ctl(server, "mailing-list", "--keyword", "newsletter", "--output", "csv")
            #expect(csv.status == 0, "\(csv.stderr)")
            #expect(csv.stdout == """
                first_name,last_name,email,customer,customer_email\r
                Aino,Virtanen,aino@acme.fi,"Acme, ""The"" Company",info@acme.fi\r
                "Comma, Inside",,lb@acme.fi,"Acme, ""The"" Company",info@acme.fi\r

                """)
            let missing = try await ctl(server, "mailing-list")
            #expect(missing.status == 64)
        }
    }

    /// A contact's name or customer starting with `=` is a formula to a spreadsheet opening the
    /// mailing list: `--for-spreadsheet` prefixes it, as `customers export` does (fold24).
    @Test func aMailingListForASpreadsheetPrefixesCellsThatWouldRunAsFormulas() async throws {
        try await withServer { server, client in
            _ = try await client.labels.create(.keyword, name: "newsletter")
            let customer = try await client.customers.create(CustomerFields(name: "=HYPERLINK(\"http://evil.example\")", email: "=x@acme.fi"))
            _ = try await client.contacts.create(
                customerID: customer.id, ContactFields(firstName: "+Aino", lastName: "Virtanen", email: "aino@acme.fi"),
                keywords: ["newsletter"])
            let plain = try await ctl(server, "mailing-list", "--keyword", "newsletter", "--output", "csv")
            #expect(plain.status == 0, "\(plain.stderr)")
            #expect(plain.stdout.hasSuffix("+Aino,Virtanen,aino@acme.fi,\"=HYPERLINK(\"\"http://evil.example\"\")\",=x@acme.fi\r\n"),
                    "\(plain.stdout)")
            let safe = try await ctl(server, "mailing-list", "--keyword", "newsletter", "--output", "csv", "--for-spreadsheet")
            #expect(safe.status == 0, "\(safe.stderr)")
            #expect(safe.stdout == """
                first_name,last_name,email,customer,customer_email\r
                '+Aino,Virtanen,aino@acme.fi,"'=HYPERLINK(""http://evil.example"")",'=x@acme.fi\r

                """, "\(safe.stdout)")
            let table = try await ctl(server, "mailing-list", "--keyword", "newsletter", "--for-spreadsheet")
            #expect(table.status == 64)
            #expect(table.stderr.contains("--for-spreadsheet needs --output csv"), "\(table.stderr)")
        }
    }

    @Test func addressesKeywordsAndTheCardFromTheShell() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy", vatNumber: "FI01120389"))
            let id = String(customer.id)
            let add = try await ctl(server, "addresses", "add", id, "--street", "Keilalahdentie 4", "--postal-code", "02150", "--city", "Espoo", "--country", "FI")
            #expect(add.status == 0, "\(add.stderr)")
            #expect(add.stdout.contains("yes"))
            let second = try await ctl(server, "addresses", "add", id, "--city", "Tampere", "--country", "FI", "--kind", "postal", "--output", "json")
            #expect(second.status == 0)
            let addresses = try await client.addresses.list(customerID: customer.id)
            let removeHead = try await ctl(server, "addresses", "remove", String(addresses[0].id))
            #expect(removeHead.status == 19)
            #expect(removeHead.stderr.contains("move the head office"))
            #expect(try await ctl(server, "addresses", "set-head-office", String(addresses[1].id)).status == 0)
            #expect(try await ctl(server, "addresses", "readiness", id).stdout == "ready\n")

            #expect(try await ctl(server, "keywords", "create", "newsletter").status == 0)
            #expect(try await ctl(server, "roles", "create", "billing").status == 0)
            let contact = try await ctl(server, "contacts", "add", id, "--first-name", "Aino", "--keyword", "newsletter", "--role", "billing")
            #expect(contact.status == 0, "\(contact.stderr)")
            #expect(try await ctl(server, "keywords", "list").stdout.contains("newsletter"))
            let inUse = try await ctl(server, "roles", "delete", "billing")
            #expect(inUse.status == 19)
            #expect(try await ctl(server, "roles", "delete", "billing", "--force").stdout.contains("unassigned from 1 contacts"))

            #expect(try await ctl(server, "activities", "note", id, "Met at the fair").status == 0)
            #expect(try await ctl(server, "activities", "task", id, "--subject", "Send offer", "--due", "2099-01-31").status == 0)

            let show = try await ctl(server, "customers", "show", id)
            #expect(show.status == 0, "\(show.stderr)")
            for expected in ["Acme Oy", "ADDRESSES", "Tampere", "CONTACTS", "Aino", "PLANNED", "Send offer", "DONE", "Met at the fair"] {
                #expect(show.stdout.contains(expected), "missing \(expected)")
            }
            let history = try await ctl(server, "history", "customer", id, "--output", "json")
            #expect(history.status == 0)
            #expect(history.stdout.contains("headOfficeSet"))
        }
    }
}

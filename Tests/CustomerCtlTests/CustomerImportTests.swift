import CommandLineKit
import CustomerClient
import Testing
@testable import CustomerCSV
@testable import customerctl

@Suite struct CustomerImportTests {
    private func parse(_ text: String, maps: [String] = []) throws -> CustomerImport {
        try CustomerImport(csv: Array(text.utf8), delimiter: UInt8(ascii: ","), maps: maps)
    }

    @Test func headerNamesTheFieldsAndAddressAndContactColumnsMakeTheirRecords() throws {
        let parsed = try parse("""
            number,name,address.city,address.country,address.kind,contact.firstName\r
            10001,Acme Oy,Espoo,FI,postal,Aino\r
            ,Beta AS,,,,\r

            """)
        #expect(parsed.problems.isEmpty)
        #expect(parsed.records == [
            CustomerRecord(line: 2, fields: CustomerFields(number: 10001, name: "Acme Oy"),
                           address: AddressFields(city: "Espoo", country: "FI", kind: .postal),
                           contact: ContactFields(firstName: "Aino")),
            CustomerRecord(line: 3, fields: CustomerFields(name: "Beta AS")),
        ])
    }

    @Test func listCellsSplitOnBarsWithBackslashEscapesAndJoinBackTheSame() throws {
        let parsed = try parse("""
            name,businessId,contact.firstName,contact.keywords,contact.roles\r
            Acme,0112038-9,Aino, VIP | Key\\|Account ||\\\\back ,Buyer\r
            Beta,,Olli,"trailing\\",\r

            """)
        let acme = try #require(parsed.records.first)
        #expect(acme.businessId == "0112038-9")
        #expect(acme.contactKeywords == ["VIP", "Key|Account", "\\back"])
        #expect(acme.contactRoles == ["Buyer"])
        let keywords = try #require(CustomerColumns.all.first { $0.name == "contact.keywords" })
        #expect(keywords.get(acme) == "VIP|Key\\|Account|\\\\back")
        #expect(try NameList.split(#require(keywords.get(acme))) == acme.contactKeywords)
        #expect(parsed.problems == [ImportProblem(line: 3, field: "contact.keywords",
                                                  reason: "ends in a lone \\; write \\\\ for a backslash in a name")])
    }

    @Test func mapRenamesAndSkipsColumns() throws {
        let parsed = try parse("Nimi,Y-tunnus,Muistiinpano\nAcme Oy,FI01120389,x\n",
                               maps: ["Nimi=name", "Y-tunnus=vatNumber", "Muistiinpano="])
        #expect(parsed.records.map(\.fields) == [CustomerFields(name: "Acme Oy", vatNumber: "FI01120389")])
    }

    @Test func anUnknownColumnIsAUsageErrorListingTheFields() throws {
        let error = try #require(throws: UsageError.self) { try parse("name,Nimi\nAcme,x\n") }
        #expect(error.message.hasPrefix("column 'Nimi' is no field; name it with --map 'Nimi=FIELD'"))
        #expect(error.message.contains("address.postalCode"))
    }

    @Test func cellsThatCannotBeTheirTypeAreProblemsOfTheirLine() throws {
        let parsed = try parse("number,name,address.kind\nten,Acme,home\n11,Beta,billing,extra\n12,Gamma,\n")
        #expect(parsed.problems == [
            ImportProblem(line: 2, field: "number", reason: "must be a whole number"),
            ImportProblem(line: 2, field: "address.kind", reason: "must be one of visiting, postal, billing, delivery"),
            ImportProblem(line: 3, field: "", reason: "has 4 cells, the header has 3"),
        ])
        #expect(parsed.records.map(\.fields.name) == ["Gamma"])
        #expect(parsed.rows == 3)
    }

    @Test func theProgressLineShowsRowsRateAndTimeLeft() {
        #expect(ProgressBar.line(done: 5_000, total: 20_000, elapsed: .seconds(2))
            == "[#####...............]  5000/20000 rows  2500 rows/s  ETA 6s")
    }

    /// customerd refuses a message of more than 131 072 field occurrences (PROTOCOL.md §9): 1 000
    /// rows naming 150 contact keywords each (182 000) were one message and refused whole.
    @Test func batchesEndAtAThousandRowsOrBeforeTheServersOccurrenceLimit() {
        let plain = CustomerRecord(fields: CustomerFields(name: "Acme"))
        #expect(CustomerImport.batchEnds(of: Array(repeating: plain, count: 2_500)[...]) == [1_000, 2_000, 2_500])
        #expect(CustomerImport.batchEnds(of: [][...]) == [])

        let keyworded = CustomerRecord(fields: CustomerFields(name: "Acme"), contact: ContactFields(firstName: "Aino"),
                                       contactKeywords: (1...150).map { "keyword \($0)" })
        let records = Array(repeating: keyworded, count: 1_000)
        let ends = CustomerImport.batchEnds(of: records[...])
        #expect(ends.last == 1_000)
        var start = 0
        for end in ends {
            let occurrences = records[start..<end].reduce(0) { $0 + CustomerImport.occurrences(of: $1) }
            #expect(end > start)
            #expect(occurrences <= CustomerImport.batchOccurrences, "rows \(start)..<\(end)")
            start = end
        }
        #expect(ends.count == 2)

        // A row over the bound alone still goes, alone: the server says what is wrong with it.
        let huge = CustomerRecord(fields: CustomerFields(name: "Acme"), contactKeywords: Array(repeating: "k", count: 100_001))
        #expect(CustomerImport.batchEnds(of: [plain, huge, plain][...]) == [1, 2, 3])
    }
}

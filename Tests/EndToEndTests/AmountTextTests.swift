import BinaryCoding
import CustomerClient
import Foundation
import Testing

/// Amounts a person types (customerctl's money, hours and VAT-rate options, and decimal strings in
/// `customerctl call`'s JSON) are read whole and exactly in the wire's form, or refused naming the
/// option or field: `Decimal(string:)` read `1.2.3` as 1.2, `1-2` as 1, `--5` and `.` as 0, and
/// rounded a 40-digit amount, and the server stored those (fuzz29, the `commandline` fuzz target);
/// JSONDecoder rounded `call`'s JSON numbers (fuzz30).
@Suite struct AmountTextTests {
    func ctl(_ server: TestServer, _ arguments: String...) async throws -> ProcessResult {
        try await runProduct("customerctl", ["--socket", server.socketPath] + arguments)
    }

    /// A sale won in euros, made with customerctl: a project whose forecasts take amounts.
    func wonSale(_ server: TestServer, _ client: CustomerClient) async throws -> Int64 {
        let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
        let sale = try await ctl(server, "projects", "create", String(customer.id), "--sales-case", "--name", "ERP")
        #expect(sale.status == 0, "\(sale.stderr)")
        let saleID = try #require(try await client.projects.list(customerID: customer.id).first?.id)
        #expect(try await ctl(server, "projects", "win", String(saleID), "--currency", "EUR").status == 0)
        return saleID
    }

    @Test func anAmountReadOnlyInPartIsRefusedNamingTheOptionAndNothingIsWritten() async throws {
        try await withServer { server, client in
            let saleID = try await wonSale(server, client)
            let longer = "1." + String(repeating: "0", count: 40) + "1"
            for text in ["1.2.3", "1-2", "12-", "--5", ".", "-", "1½", "1٣", ".5", longer] {
                let refused = try await ctl(server, "forecasts", "set", String(saleID), "--month", "2027-01",
                                            "--revenue", text, "--cost", "0")
                #expect(refused.status == 64, "--revenue \(text): \(refused.stdout)")
                #expect(refused.stderr.contains("--revenue needs an exact decimal number"), "--revenue \(text): \(refused.stderr)")
            }
            #expect(try await client.projects.forecasts(projectID: saleID).isEmpty)

            let taken = try await ctl(server, "forecasts", "set", String(saleID), "--month", "2027-01", "--revenue", "0012.50",
                                      "--cost", "0.25", "--hours", "999999999999999.9999")
            #expect(taken.status == 0, "\(taken.stderr)")
            let forecast = try #require(try await client.projects.forecasts(projectID: saleID).first)
            #expect(forecast.revenue == Decimal(string: "12.5"))
            #expect(forecast.cost == Decimal(string: "0.25"))
            #expect(forecast.hours.description == "999999999999999.9999")
        }
    }

    @Test func aDecimalStringTheWireCannotHoldExactlyIsRefusedNamingTheFieldNotRounded() async throws {
        try await withServer { _, client in
            let schema = try await client.server.describe(services: ["customer.v1.FinancialService"]).schema
            // The bytes `customerctl call` sends (a DynamicMessage is written when it is sent).
            func request(revenue: String) throws -> [UInt8] {
                try DynamicMessage.encoded("SetForecastRequest", in: schema, .object([
                    .init("projectId", .integer(1)), .init("month", .string("2027-01")), .init("revenue", .string(revenue)),
                ]))
            }
            for text in ["1." + String(repeating: "0", count: 40) + "1", String(repeating: "7", count: 45), "0." + String(repeating: "0", count: 130) + "1"] {
                let error = #expect(throws: DynamicMessageError.self, "revenue \(text)") { try request(revenue: text) }
                #expect(error?.field == "revenue")
            }
            #expect(throws: Never.self) { try request(revenue: "-1234.5") }
        }
    }

    /// A decimal given to `customerctl call` as a JSON number is read from its digits: JSONDecoder
    /// read `999999999999999.9999` as the whole number 1000000000000000, `1.000…0001` (41 places)
    /// as 1 and `1e-400` as 0, and the server stored them; a fraction given to a whole-number field
    /// was cut off (fuzz30). A number no decimal holds exactly is refused naming the field, and a
    /// fraction for a whole number too; nothing is written.
    @Test func aDecimalGivenToCallAsAJSONNumberIsReadFromItsDigitsOrRefusedNamingTheField() async throws {
        try await withServer { server, client in
            let saleID = try await wonSale(server, client)
            let method = "customer.v1.FinancialService/SetForecast"
            func data(projectID: String = String(saleID), revenue: String, hours: String = "1") -> String {
                #"{"projectId": \#(projectID), "month": "2027-01", "revenue": \#(revenue), "cost": 0, "billing": 0, "hours": \#(hours)}"#
            }
            let refusals: [(request: String, message: String)] = [
                (data(revenue: "1." + String(repeating: "0", count: 40) + "1"), "--data: revenue: the number 1.000"),
                (data(revenue: "1e-400"), "--data: revenue: the number 1e-400 cannot be read exactly"),
                (data(projectID: "\(saleID).0000000000000000001", revenue: "1"),
                 "--data: projectId: a sint64: expected a whole number, got the number \(saleID).0000000000000000001"),
            ]
            for (request, message) in refusals {
                let refused = try await ctl(server, "call", method, "--data", request)
                #expect(refused.status == 64, "\(request): \(refused.stdout)")
                #expect(refused.stderr.contains(message), "\(request): \(refused.stderr)")
            }
            #expect(try await client.projects.forecasts(projectID: saleID).isEmpty)

            let taken = try await ctl(server, "call", method, "--data", data(revenue: "1234.50", hours: "999999999999999.9999"))
            #expect(taken.status == 0, "\(taken.stderr)")
            let forecast = try #require(try await client.projects.forecasts(projectID: saleID).first)
            #expect(forecast.revenue == Decimal(string: "1234.5"))
            #expect(forecast.hours.description == "999999999999999.9999")
        }
    }
}

import CustomerClient
import Foundation
import Testing

/// The sales, collaboration, financial, settings and files commands of customerctl.
@Suite struct CardCommandLineTests {
    func ctl(_ server: TestServer, _ arguments: String...) async throws -> ProcessResult {
        try await runProduct("customerctl", ["--socket", server.socketPath] + arguments)
    }

    @Test func projectsForecastsInvoicesAndTheWholeCardFromTheShell() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let id = String(customer.id)
            let sale = try await ctl(server, "projects", "create", id, "--sales-case", "--name", "ERP", "--probability", "60",
                                     "--value", "125000.50", "--value-currency", "EUR", "--output", "json")
            #expect(sale.status == 0, "\(sale.stderr)")
            let saleID = try #require(try await client.projects.list(customerID: customer.id).first?.id)
            let won = try await ctl(server, "projects", "win", String(saleID), "--currency", "EUR")
            #expect(won.status == 0, "\(won.stderr)")
            #expect(won.stdout.contains("won"))
            #expect(try await ctl(server, "tasks", "add", String(saleID), "--name", "Wireframes", "--due", "2026-12-10").status == 0)
            #expect(try await ctl(server, "notes", "add", String(saleID), "Kick-off went well").status == 0)
            let forecast = try await ctl(server, "forecasts", "set", String(saleID), "--month", "2027-01", "--revenue", "0.1", "--cost", "0.05")
            #expect(forecast.status == 0, "\(forecast.stderr)")
            let summary = try await ctl(server, "forecasts", "summary", id)
            #expect(summary.stdout.contains("EUR"))
            #expect(summary.stdout.contains("TOTAL"))
            #expect(summary.stdout.contains("0.05"))
            let badMoney = try await ctl(server, "forecasts", "set", String(saleID), "--month", "2027-02", "--revenue", "1e3", "--cost", "0")
            #expect(badMoney.status == 64)

            #expect(try await ctl(server, "settings", "update", id, "--channel", "email", "--invoice-email", "ap@acme.fi", "--payment-term", "30").status == 0)
            let invoice = try await ctl(server, "invoices", "issue", id, "--total", "1240.00", "--currency", "EUR")
            #expect(invoice.status == 0, "\(invoice.stderr)")
            #expect(invoice.stdout.contains("1240.00 EUR"))

            let show = try await ctl(server, "customers", "show", id, "--tab", "all")
            #expect(show.status == 0, "\(show.stderr)")
            for section in ["ADDRESSES", "SALES AND PROJECTS", "COLLABORATION", "Kick-off went well", "FINANCIAL", "CUSTOMER SETTINGS", "30 days", "FILES AND LINKS"] {
                #expect(show.stdout.contains(section), "missing \(section)")
            }
            let badTab = try await ctl(server, "customers", "show", id, "--tab", "financal")
            #expect(badTab.status == 64)
            #expect(badTab.stderr.contains("Did you mean 'financial'?"))
        }
    }

    @Test func filesGoUpAndComeBackByteForByte() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme Oy"))
            let source = server.directory.appendingPathComponent("offer.pdf")
            let content = Data((0..<700_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            try content.write(to: source)
            let upload = try await ctl(server, "files", "upload", String(customer.id), source.path, "--content-type", "application/pdf")
            #expect(upload.status == 0, "\(upload.stderr)")
            let file = try #require(try await client.files.list(customerID: customer.id).files.first)
            #expect(file.name == "offer.pdf")
            #expect(file.size == 700_000)
            let copy = server.directory.appendingPathComponent("copy.pdf")
            let download = try await ctl(server, "files", "download", String(file.id), "--to", copy.path)
            #expect(download.status == 0, "\(download.stderr)")
            #expect(try Data(contentsOf: copy) == content)
            #expect(try await ctl(server, "links", "add", String(customer.id), "wiki.example.com", "--title", "Wiki").status == 0)
            let list = try await ctl(server, "files", "list", String(customer.id))
            #expect(list.stdout.contains("offer.pdf"))
            #expect(list.stdout.contains("https://wiki.example.com"))
        }
    }
}

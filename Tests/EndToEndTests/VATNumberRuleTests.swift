import CustomerClient
import Foundation
import Testing

/// VAT numbers are checked and stored in one form for the customer's country; a second customer
/// with the same number is refused unless intended.
@Suite struct VATNumberRuleTests {
    static let refusedCreates: [(vat: String, country: String, reason: String)] = [
        ("FI01120388", "FI", "Finnish check digit 8 does not match the expected 9"),
        ("0112038-8", "FI", "Finnish check digit 8 does not match the expected 9"),
        ("92360901", "NO", "Norwegian VAT numbers have 9 digits, got 8"),
        ("FI01120389", "SE", "the prefix FI does not belong to the customer's country SE"),
        ("FI01120389", "GB", "the prefix FI does not belong to the customer's country GB"),
    ]

    @Test(arguments: refusedCreates)
    func aWrongNumberIsRefusedOnTheVATFieldWithTheReasonAndNothingIsWritten(
        vat: String, country: String, reason: String
    ) async throws {
        try await withServer { _, client in
            let error = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(name: "Acme", vatNumber: vat, country: country))
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.details == [ErrorDetail(field: "vatNumber", reason: reason)])
            #expect(error?.message == "vatNumber: \(reason)")
            let written = try await client.customers.list(CustomerQuery(status: .all)).customers
            #expect(written.isEmpty)
        }
    }

    static let canonicalForms: [(typed: String, country: String?, stored: String)] = [
        ("fi 0112038-9", "FI", "FI01120389"),
        ("923 609 016 mva", "NO", "NO923609016MVA"),
        ("gb 123.456.789", "GB", "GB123456789"),  // no rule for GB: normalised only
        ("fi 0112-038.9", nil, "FI01120389"),  // no country: normalised only
    ]

    @Test(arguments: canonicalForms)
    func whatPeopleTypeIsStoredInOneForm(typed: String, country: String?, stored: String) async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme", vatNumber: typed, country: country))
            #expect(customer.vatNumber == stored)
        }
    }

    @Test func anUpdateChecksTheNumberForTheNewCountryOrElseTheStoredOne() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(
                CustomerFields(name: "Nokia", vatNumber: "FI01120389", country: "FI"))
            // A new country re-checks the stored number.
            let moved = await #expect(throws: RPCError.self) {
                try await client.customers.update(id: customer.id, CustomerFields(country: "NO"))
            }
            #expect(moved?.details == [ErrorDetail(
                field: "vatNumber", reason: "the prefix FI does not belong to the customer's country NO")])
            // A new number is checked for the stored country.
            let wrong = await #expect(throws: RPCError.self) {
                try await client.customers.update(id: customer.id, CustomerFields(vatNumber: "0112038-7"))
            }
            #expect(wrong?.details.map(\.field) == ["vatNumber"])
            #expect(try await client.customers.get(id: customer.id) == customer)

            // Both at once: the number is checked for the new country.
            let norwegian = try await client.customers.update(
                id: customer.id, CustomerFields(vatNumber: "923609016", country: "no"))
            #expect(norwegian.vatNumber == "NO923609016MVA")
            #expect(norwegian.country == "NO")
        }
    }

    @Test func aSecondCustomerWithTheSameNumberIsRefusedNamingTheFirstActiveOrNot() async throws {
        try await withServer { _, client in
            let first = try await client.customers.create(CustomerFields(name: "Nokia Oyj", vatNumber: "FI01120389", country: "FI"))
            _ = try await client.customers.deactivate(id: first.id)
            let expected = "customer \(first.id) (number \(first.number), \"Nokia Oyj\") already has this VAT number"

            // Typed differently, the same canonical number.
            let created = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(name: "Nokia Networks", vatNumber: "0112038-9", country: "FI"))
            }
            #expect(created?.code == .alreadyExists)
            #expect(created?.message.hasPrefix(expected) == true, "\(created?.message ?? "")")
            #expect(created?.details.map(\.field) == ["vatNumber"])
            #expect(try await client.customers.list(CustomerQuery(status: .all)).customers.map(\.id) == [first.id])

            let other = try await client.customers.create(CustomerFields(name: "Other Oy", country: "FI"))
            let updated = await #expect(throws: RPCError.self) {
                try await client.customers.update(id: other.id, CustomerFields(vatNumber: "FI01120389"))
            }
            #expect(updated?.code == .alreadyExists)
            #expect(updated?.message.hasPrefix(expected) == true)
            #expect(try await client.customers.get(id: other.id) == other)
        }
    }

    @Test func anIntendedDuplicateIsAllowedAndLaterEditsOfItAreNotRefused() async throws {
        try await withServer { _, client in
            let first = try await client.customers.create(CustomerFields(name: "Nokia Oyj", vatNumber: "FI01120389", country: "FI"))
            let second = try await client.customers.create(
                CustomerFields(name: "Nokia Oyj, Espoo office", vatNumber: "FI 0112038-9", country: "FI"), allowDuplicateVat: true)
            #expect(second.vatNumber == first.vatNumber)
            // Its VAT number does not change, so nothing asks about the duplicate again.
            let edited = try await client.customers.update(id: second.id, CustomerFields(email: "espoo@nokia.com"))
            #expect(edited.email == "espoo@nokia.com")

            let third = try await client.customers.create(CustomerFields(name: "Nokia Tampere", country: "FI"))
            let moved = try await client.customers.update(
                id: third.id, CustomerFields(vatNumber: "FI01120389"), allowDuplicateVat: true)
            #expect(moved.vatNumber == "FI01120389")
        }
    }

    @Test func theCommandLineRefusesADuplicateUnlessTold() async throws {
        try await withServer { server, client in
            _ = try await client.customers.create(CustomerFields(name: "Nokia Oyj", vatNumber: "FI01120389", country: "FI"))
            let arguments = ["--socket", server.socketPath, "customers", "create", "--name", "Nokia Networks",
                             "--country", "FI", "--vat", "0112038-9"]
            let refused = try await runProduct("customerctl", arguments)
            #expect(refused.status == 16)  // 10 + ALREADY_EXISTS
            #expect(refused.stderr.hasPrefix("Error: ALREADY_EXISTS: customer 1 (number 10001, \"Nokia Oyj\")"))

            let allowed = try await runProduct("customerctl", arguments + ["--allow-duplicate-vat", "--output", "json"])
            #expect(allowed.status == 0, "\(allowed.stderr)")
            #expect(allowed.stdout.contains("\"vatNumber\" : \"FI01120389\""))
        }
    }
}

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
        ("fi 0112-038.9", nil, "FI01120389"),  // no country: the prefix's rule
        ("FI\u{00A0}0112\u{2009}038\u{2013}9", "FI", "FI01120389"),  // no-break and thin space, en dash
        ("\u{FF10}\u{FF11}\u{FF11}\u{FF12}\u{FF10}\u{FF13}\u{FF18}\u{2014}\u{FF19}", "FI", "FI01120389"),  // full-width, em dash
        ("nl 4495445 b01", "NL", "NL004495445B01"),  // the RSIN's leading zeros omitted
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
                id: customer.id, CustomerFields(vatNumber: "923609016MVA", country: "no"))
            #expect(norwegian.vatNumber == "NO923609016MVA")
            #expect(norwegian.businessId == "923609016")
            #expect(norwegian.country == "NO")
        }
    }

    @Test func withoutACountryThePrefixChoosesTheRuleAndWithoutEitherTheNumberIsRefused() async throws {
        try await withServer { _, client in
            let prefixed = try await client.customers.create(CustomerFields(name: "Prefixed", vatNumber: "FI 0250345-3"))
            #expect(prefixed.vatNumber == "FI02503453")
            #expect(prefixed.businessId == "0250345-3")
            #expect(prefixed.country == nil)

            // 2077474's check digit is 0: the Finnish rule is applied although no country was given.
            let wrong = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(name: "Wrong", vatNumber: "FI 20774741"))
            }
            #expect(wrong?.details == [ErrorDetail(field: "vatNumber",
                                                   reason: "Finnish check digit 1 does not match the expected 0")])
            let bare = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(name: "Bare", vatNumber: "0112038-9"))
            }
            #expect(bare?.code == .invalidArgument)
            #expect(bare?.details == [ErrorDetail(
                field: "vatNumber", reason: "the VAT number has no country: give the customer's country, "
                    + "or start the number with its country prefix (e.g. FI 0112038-9)")])
            #expect(try await client.customers.list(CustomerQuery(status: .all)).customers.map(\.id) == [prefixed.id])
        }
    }

    @Test func aPastedCharacterThatIsNotIgnoredIsNamedHonestly() async throws {
        try await withServer { _, client in
            let error = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(name: "Acme", vatNumber: "0112038/9", country: "FI"))
            }
            #expect(error?.details == [ErrorDetail(
                field: "vatNumber",
                reason: "must be 4 to 20 letters A-Z and digits (spaces, dashes, dots and invisible formatting "
                    + "characters are ignored)")])
        }
    }

    @Test func aBareNorwegianOrganisationNumberIsKeptAsTheBusinessIdNotAsAVATNumber() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(
                CustomerFields(name: "Equinor", vatNumber: "923 609 016", country: "NO"))
            #expect(customer.vatNumber == nil)
            #expect(customer.businessId == "923609016")
            // Clearing the number clears the business id it named.
            let typed = try await client.customers.update(id: customer.id, CustomerFields(vatNumber: "NO923609016MVA"))
            #expect(typed.vatNumber == "NO923609016MVA")
            let cleared = try await client.customers.update(id: customer.id, CustomerFields(vatNumber: ""))
            #expect(cleared.vatNumber == nil)
            #expect(cleared.businessId == nil)
        }
    }

    @Test func searchFindsACustomerByItsVATNumberOrBusinessIdInAnyAcceptedSpelling() async throws {
        try await withServer { _, client in
            let finnish = try await client.customers.create(
                CustomerFields(name: "Suomi Oy", vatNumber: "0250345-3", country: "FI"))
            let norwegian = try await client.customers.create(
                CustomerFields(name: "Norge AS", vatNumber: "923609016", country: "NO"))
            _ = try await client.customers.create(CustomerFields(name: "Other Oy", country: "FI"))
            for term in ["0250345-3", "FI02503453", "fi 0250345 3", "02503453", "FI\u{00A0}0250345\u{2013}3"] {
                let found = try await client.customers.list(CustomerQuery(search: term)).customers.map(\.id)
                #expect(found == [finnish.id], "\(term)")
            }
            for term in ["923609016", "923 609 016", "923.609.016"] {
                let found = try await client.customers.list(CustomerQuery(search: term)).customers.map(\.id)
                #expect(found == [norwegian.id], "\(term)")
            }
        }
    }

    @Test func aSecondCustomerWithTheSameNumberIsRefusedNamingTheFirstActiveOrNot() async throws {
        try await withServer { _, client in
            let first = try await client.customers.create(CustomerFields(name: "Nokia Oyj", vatNumber: "FI01120389", country: "FI"))
            _ = try await client.customers.deactivate(id: first.id)
            let expected = "vatNumber: customer \(first.id) (number \(first.number), \"Nokia Oyj\") already has this VAT number"

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
            #expect(refused.stderr.hasPrefix("Error: ALREADY_EXISTS: --vat: customer 1 (number 10001, \"Nokia Oyj\")"),
                    "\(refused.stderr)")

            let allowed = try await runProduct("customerctl", arguments + ["--allow-duplicate-vat", "--output", "json"])
            #expect(allowed.status == 0, "\(allowed.stderr)")
            #expect(allowed.stdout.contains("\"vatNumber\" : \"FI01120389\""))
        }
    }
}

import CustomerClient
import Foundation
import Testing

/// Each invalid field is refused by name with INVALID_ARGUMENT, and nothing is written.
@Suite struct CustomerValidationTests {
    static let invalidCreates: [(String, CustomerFields)] = [
        ("name", CustomerFields(name: "   ")),
        ("name", CustomerFields(name: String(repeating: "x", count: 201))),
        ("country", CustomerFields(name: "Acme", country: "XX")),
        ("country", CustomerFields(name: "Acme", country: "Finland")),
        ("email", CustomerFields(name: "Acme", email: "not-an-email")),
        ("email", CustomerFields(name: "Acme", email: "a b@c.com")),
        ("website", CustomerFields(name: "Acme", website: "ftp://acme.fi")),
        ("phone", CustomerFields(name: "Acme", phone: "call me")),
        ("phone", CustomerFields(name: "Acme", phone: "123")),
        ("vatNumber", CustomerFields(name: "Acme", vatNumber: "F!")),
        ("accountManager", CustomerFields(name: "Acme", accountManager: "nobody-by-that-name")),
    ]

    @Test(arguments: invalidCreates)
    func anInvalidFieldIsNamedAndNothingIsWritten(field: String, fields: CustomerFields) async throws {
        try await withServer { _, client in
            let error = await #expect(throws: RPCError.self) { try await client.customers.create(fields) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.details.map(\.field).contains(field) == true, "details: \(error?.details ?? [])")
            #expect(error?.message.range(of: field) != nil)
            let written = try await client.customers.list(CustomerQuery(status: .all)).customers
            #expect(written.isEmpty)
        }
    }

    @Test func everyInvalidFieldIsReportedAtOnce() async throws {
        try await withServer { _, client in
            let error = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(name: "", country: "ZZ", email: "x", phone: "?"))
            }
            #expect(Set(error?.details.map(\.field) ?? []) == ["name", "country", "email", "phone"])
        }
    }

    @Test func anInvalidUpdateChangesNothing() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme", email: "info@acme.fi"))
            let error = await #expect(throws: RPCError.self) {
                try await client.customers.update(id: customer.id, CustomerFields(name: "Renamed", email: "broken"))
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.details.map(\.field) == ["email"])
            #expect(try await client.customers.get(id: customer.id) == customer)
        }
    }

    /// A number of zeros passes most check digit rules but is no company's: a create and an update
    /// giving one are refused on `vatNumber` saying so, in every form it is typed, and change nothing.
    @Test func aVATNumberOfZerosIsRefusedOnCreateAndUpdate() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Nollakohta Oy", country: "FI"))
            for (country, typed, adjective) in [("FI", "0000000-0", "Finnish"), ("FI", "FI00000000", "Finnish"),
                                                ("NO", "NO000000000MVA", "Norwegian"), ("NO", "000 000 000", "Norwegian"),
                                                ("SE", "000000-0000", "Swedish"), ("FR", "FR00000000000", "FR")] {
                let reason = "\(adjective) VAT numbers are never all zeros: that is a placeholder, not a number anyone "
                    + "was given (leave the field empty instead)"
                let created = await #expect(throws: RPCError.self) {
                    try await client.customers.create(CustomerFields(name: "Zero \(typed)", vatNumber: typed, country: country))
                }
                #expect(created?.code == .invalidArgument && created?.details == [ErrorDetail(field: "vatNumber", reason: reason)],
                        "\(typed): \(created?.details ?? [])")
                let updated = await #expect(throws: RPCError.self) {
                    try await client.customers.update(id: customer.id, CustomerFields(vatNumber: typed, country: country))
                }
                #expect(updated?.code == .invalidArgument && updated?.details == [ErrorDetail(field: "vatNumber", reason: reason)],
                        "\(typed): \(updated?.details ?? [])")
            }
            #expect(try await client.customers.get(id: customer.id) == customer)
            #expect(try await client.customers.list(CustomerQuery(status: .all)).customers.map(\.id) == [customer.id])
        }
    }

    @Test func theNameCannotBeCleared() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Acme"))
            let error = await #expect(throws: RPCError.self) {
                try await client.customers.update(id: customer.id, CustomerFields(name: ""))
            }
            #expect(error?.details.map(\.field) == ["name"])
        }
    }

    @Test func aListLimitOutOfRangeIsRefused() async throws {
        try await withServer { _, client in
            for limit in [0, 1001] {
                let error = await #expect(throws: RPCError.self) { try await client.customers.list(limit: limit) }
                #expect(error?.code == .invalidArgument)
                #expect(error?.details.map(\.field) == ["limit"])
            }
        }
    }
}

import CustomerClient
import Foundation
import Testing

/// ListCustomers and StreamCustomers: filters, search, order, pages and streams.
@Suite struct CustomerListingTests {
    @Test func searchIgnoresCaseAndAccentsAcrossNameNumberVatAndEmail() async throws {
        try await withServer { _, client in
            let muller = try await client.customers.create(CustomerFields(name: "Müller GmbH", country: "DE"))
            let aas = try await client.customers.create(CustomerFields(name: "Ås Byggservice", vatNumber: "NO923609016MVA", country: "NO"))
            let mail = try await client.customers.create(CustomerFields(name: "Other", email: "sales@Example.org"))
            func names(_ text: String) async throws -> [String] {
                try await client.customers.list(CustomerQuery(search: text)).customers.map(\.name)
            }
            #expect(try await names("muller") == [muller.name])
            #expect(try await names("ÅS") == [aas.name])
            #expect(try await names("as byggservice") == [aas.name])
            #expect(try await names("923609016") == [aas.name])
            #expect(try await names("EXAMPLE.ORG") == [mail.name])
            #expect(try await names(String(mail.number)) == [mail.name])
            #expect(try await names("nothing like it").isEmpty)
        }
    }

    @Test func filtersByCountryStatusAccountManagerAndChangedSince() async throws {
        try await withServer { _, client in
            let me = try await client.users.whoAmI()
            let finnish = try await client.customers.create(CustomerFields(name: "A Finnish", accountManager: me.name, country: "FI"))
            let norwegian = try await client.customers.create(CustomerFields(name: "B Norwegian", country: "NO"))
            _ = try await client.customers.deactivate(id: norwegian.id)
            #expect(try await client.customers.list(CustomerQuery(country: "FI")).customers.map(\.id) == [finnish.id])
            #expect(try await client.customers.list(CustomerQuery(country: "NO")).customers.isEmpty)
            #expect(try await client.customers.list(CustomerQuery(status: .all, country: "NO")).customers.map(\.id) == [norwegian.id])
            #expect(try await client.customers.list(CustomerQuery(status: .all, accountManager: me.name)).customers.map(\.id) == [finnish.id])

            let later = try await client.customers.get(id: norwegian.id).updatedAt
            let changed = try await client.customers.list(CustomerQuery(status: .all, changedSince: later)).customers
            #expect(changed.map(\.id) == [norwegian.id])
        }
    }

    @Test func pagesByNameAndByNumberVisitEveryCustomerOnce() async throws {
        try await withServer { _, client in
            var created: [Customer] = []
            for name in ["delta", "Alpha", "charlie", "Echo", "bravo", "Älpha two", "foxtrot"] {
                created.append(try await client.customers.create(CustomerFields(name: name)))
            }
            for order in CustomerQuery.Order.allCases {
                var seen: [Customer] = []
                var token: String?
                repeat {
                    let page = try await client.customers.list(CustomerQuery(order: order), limit: 3, pageToken: token)
                    #expect(page.customers.count <= 3)
                    seen += page.customers
                    token = page.nextPageToken
                } while token != nil
                #expect(Set(seen.map(\.id)) == Set(created.map(\.id)))
                #expect(seen.count == created.count)
                if order == .number {
                    #expect(seen.map(\.number) == seen.map(\.number).sorted())
                } else {
                    #expect(seen.map(\.name) == ["Alpha", "Älpha two", "bravo", "charlie", "delta", "Echo", "foxtrot"])
                }
            }
        }
    }

    @Test func aPageTokenFromAnotherQueryIsRefused() async throws {
        try await withServer { _, client in
            for name in ["a", "b", "c"] {
                _ = try await client.customers.create(CustomerFields(name: name))
            }
            let first = try await client.customers.list(limit: 1)
            let token = try #require(first.nextPageToken)
            let error = await #expect(throws: RPCError.self) {
                try await client.customers.list(CustomerQuery(order: .number), limit: 1, pageToken: token)
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.details.map(\.field) == ["pageToken"])
            let garbage = await #expect(throws: RPCError.self) {
                try await client.customers.list(limit: 1, pageToken: "not a token")
            }
            #expect(garbage?.code == .invalidArgument)
        }
    }

    @Test func streamDeliversEveryMatchingCustomerInOrder() async throws {
        try await withServer { _, client in
            var expected: [Int64] = []
            for index in 0..<1_200 {
                let customer = try await client.customers.create(CustomerFields(name: String(format: "Customer %05d", index)))
                expected.append(customer.id)
            }
            _ = try await client.customers.deactivate(id: expected[7])
            var streamed: [Int64] = []
            for try await customer in client.customers.stream(CustomerQuery(order: .number)) {
                streamed.append(customer.id)
            }
            #expect(streamed == expected.filter { $0 != expected[7] })
        }
    }
}

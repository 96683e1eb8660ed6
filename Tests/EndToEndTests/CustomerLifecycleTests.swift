import CustomerClient
import Foundation
import Testing

/// Every CustomerService RPC through the client library against a real server.
@Suite struct CustomerLifecycleTests {
    @Test func createGetUpdateDeactivateActivateDelete() async throws {
        try await withServer { _, client in
            let me = try await client.users.whoAmI()
            _ = try await client.settings.createIndustry("Manufacturing")
            let created = try await client.customers.create(
                CustomerFields(
                    name: "  Acme Oy  ", accountManager: me.name, description: "Machines", vatNumber: "fi 0112-038.9",
                    country: "fi", industry: "Manufacturing", email: "info@acme.fi", website: "acme.fi",
                    phone: "+358 40 123 4567"))
            #expect(created.name == "Acme Oy")
            #expect(created.vatNumber == "FI01120389")
            #expect(created.country == "FI")
            #expect(created.website == "https://acme.fi")
            #expect(created.accountManager?.name == me.name)
            #expect(created.active)
            #expect(created.version == 1)
            #expect(created.createdBy.id == me.id)
            #expect(created.createdAt == created.updatedAt)

            #expect(try await client.customers.get(id: created.id) == created)
            #expect(try await client.customers.get(number: created.number) == created)

            let updated = try await client.customers.update(
                id: created.id, CustomerFields(email: "billing@acme.fi", phone: ""), expectedVersion: 1)
            #expect(updated.email == "billing@acme.fi")
            #expect(updated.phone == nil)
            #expect(updated.name == "Acme Oy")
            #expect(updated.description == "Machines")
            #expect(updated.version == 2)
            #expect(updated.createdAt == created.createdAt)
            #expect(updated.updatedAt >= created.updatedAt)

            let deactivated = try await client.customers.deactivate(id: created.id)
            #expect(!deactivated.active)
            #expect(deactivated.version == 3)
            #expect(try await client.customers.list().customers.isEmpty)
            #expect(try await client.customers.list(CustomerQuery(status: .inactive)).customers.map(\.id) == [created.id])

            let activated = try await client.customers.activate(id: created.id, expectedVersion: 3)
            #expect(activated.active)
            #expect(activated.version == 4)

            try await client.customers.delete(id: created.id, confirm: true)
            let error = await #expect(throws: RPCError.self) { try await client.customers.get(id: created.id) }
            #expect(error?.code == .notFound)
        }
    }

    @Test func numbersAreAssignedFromASequenceAndATakenNumberIsRefused() async throws {
        try await withServer { _, client in
            let first = try await client.customers.create(CustomerFields(name: "First"))
            let second = try await client.customers.create(CustomerFields(name: "Second"))
            #expect(second.number > first.number)
            let error = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(number: first.number, name: "Third"))
            }
            #expect(error?.code == .alreadyExists)
            #expect(error?.details.map(\.field) == ["number"])
            #expect(try await client.customers.list().customers.count == 2)
        }
    }

    @Test func deleteWithoutConfirmIsRefusedAndDeletesNothing() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Keep Me"))
            let error = await #expect(throws: RPCError.self) {
                try await client.customers.delete(id: customer.id, confirm: false)
            }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message.contains("confirm") == true)
            #expect(try await client.customers.get(id: customer.id) == customer)
        }
    }

    @Test func aStaleVersionIsRefusedAndChangesNothing() async throws {
        try await withServer { _, client in
            _ = try await client.settings.createIndustry("Retail")
            let customer = try await client.customers.create(CustomerFields(name: "Versioned"))
            _ = try await client.customers.update(id: customer.id, CustomerFields(industry: "Retail"), expectedVersion: 1)
            let error = await #expect(throws: RPCError.self) {
                try await client.customers.update(id: customer.id, CustomerFields(name: "Lost Update"), expectedVersion: 1)
            }
            #expect(error?.code == .aborted)
            let current = try await client.customers.get(id: customer.id)
            #expect(current.name == "Versioned")
            #expect(current.industry == "Retail")
            #expect(current.version == 2)
        }
    }

    @Test func unknownCustomersAreNotFound() async throws {
        try await withServer { _, client in
            for call in [
                { _ = try await client.customers.get(id: 999) },
                { _ = try await client.customers.get(number: 999) },
                { _ = try await client.customers.update(id: 999, CustomerFields(name: "X")) },
                { _ = try await client.customers.deactivate(id: 999) },
                { try await client.customers.delete(id: 999, confirm: true) },
            ] as [@Sendable () async throws -> Void] {
                let error = await #expect(throws: RPCError.self) { try await call() }
                #expect(error?.code == .notFound)
            }
        }
    }

    /// A get names its customer by id or by number, exactly one; one no customer has is NOT_FOUND
    /// in words that name what was asked for; a head office comes with the customer either way.
    @Test func aGetNamesItsCustomerByExactlyOneOfIdAndNumber() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Öresund Ab", country: "SE"))
            let office = try await client.addresses.add(customerID: customer.id, AddressFields(
                street1: "Storgatan 1", postalCode: "211 22", city: "Malmö", country: "SE"))
            let byID = try await client.customers.get(id: customer.id)
            #expect(byID.headOffice == office)
            #expect(try await client.customers.get(number: customer.number) == byID)

            for request in [GetCustomerRequest(id: nil, number: nil), GetCustomerRequest(id: customer.id, number: customer.number)] {
                let error = await outcome { _ = try await client.channel.call(CustomerService.getCustomer, request) }
                #expect(error?.code == .invalidArgument)
                #expect(error?.message == "id: give exactly one of id and number, to name the customer")
                #expect(error?.details == [ErrorDetail(field: "id", reason: "give exactly one of id and number, to name the customer")])
            }
            let noID = await outcome { _ = try await client.customers.get(id: 999) }
            #expect(noID?.code == .notFound)
            #expect(noID?.message == "id: customer 999 does not exist")
            let noNumber = await outcome { _ = try await client.customers.get(number: 999_999) }
            #expect(noNumber?.code == .notFound)
            #expect(noNumber?.message == "number: no customer has number 999999")
        }
    }
}

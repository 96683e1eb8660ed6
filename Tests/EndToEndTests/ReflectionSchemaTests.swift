import BinaryCoding
import CustomerClient
import Foundation
import Testing

/// The reflection service describes every message field by field, so a client that knows only
/// names (a generic client, or one in another language) can build any request and be understood.
@Suite struct ReflectionSchemaTests {
    @Test func aRequestBuiltByFieldNameFromTheSchemaIsServed() async throws {
        try await withServer { _, client in
            let created = try await client.customers.create(CustomerFields(name: "Built By Name Oy", country: "FI"))
            let schema = try await client.server.describe(services: ["customer.v1.CustomerService"]).schema
            let request = try DynamicMessage("GetCustomerRequest", in: schema, .object([.init("id", .integer(created.id))]))
            let customer = try await client.channel.unary(CustomerService.getCustomer.descriptor, request, as: Customer.self)
            #expect(customer.id == created.id)
            #expect(customer.name == "Built By Name Oy")
        }
    }

    @Test func anEnumWrittenAsItsNumberIsReadAsThatCase() async throws {
        try await withServer { _, client in
            let kept = try await client.customers.create(CustomerFields(name: "Kept Oy"))
            let gone = try await client.customers.create(CustomerFields(name: "Gone Oy"))
            _ = try await client.customers.deactivate(id: gone.id)
            let schema = try await client.server.describe(services: ["customer.v1.CustomerService"]).schema
            func names(_ status: String) async throws -> [String] {
                let request = try DynamicMessage(
                    "ListCustomersRequest", in: schema, .object([.init("query", .object([.init("status", .string(status))]))]))
                return try await client.channel.unary(
                    CustomerService.listCustomers.descriptor, request, as: ListCustomersResponse.self
                ).customers.map(\.name)
            }
            // `all` is 2 on the wire: read as zigzag it was `inactive` (1).
            #expect(try await names("all") == [gone.name, kept.name])
            #expect(try await names("inactive") == [gone.name])
            #expect(try await names("active") == [kept.name])
        }
    }

    @Test func anEnumNumberTheServerDoesNotKnowIsRefusedNamingTheFieldAndChangesNothing() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Addressed Oy", country: "FI"))
            let schema = try await client.server.describe(services: ["customer.v1.AddressService"]).schema
            func add(kind: Int64) throws -> DynamicMessage {
                try DynamicMessage("AddAddressRequest", in: schema, .object([
                    .init("customerId", .integer(customer.id)),
                    .init("fields", .object([.init("street1", .string("Aurakatu 1")), .init("city", .string("Turku")),
                                             .init("country", .string("FI")), .init("kind", .integer(kind))])),
                ]))
            }
            let error = await #expect(throws: RPCError.self) {
                try await client.channel.unary(AddressService.addAddress.descriptor, try add(kind: 9), as: Address.self)
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains("field 8 (kind): 9 is not a value of the enum Address.Kind (known: 0, 1, 2, 3)") == true,
                    "\(error?.message ?? "")")
            #expect(try await client.addresses.list(customerID: customer.id).isEmpty)

            let billing = try await client.channel.unary(AddressService.addAddress.descriptor, try add(kind: 2), as: Address.self)
            #expect(billing.kind == .billing)
        }
    }

    @Test func describingAServiceTheServerDoesNotHaveIsNotFound() async throws {
        try await withServer { _, client in
            let error = await #expect(throws: RPCError.self) {
                try await client.server.describe(services: ["customer.v1.NoSuchService"])
            }
            #expect(error?.code == .notFound)
            #expect(error?.message.contains("customer.v1.NoSuchService") == true)
        }
    }
}

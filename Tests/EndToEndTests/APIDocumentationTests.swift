import BinaryCoding
import CustomerClient
import Foundation
import Testing

/// Protocol/CUSTOMER-API.md is what a running server's reflection service describes, so it
/// cannot go stale: a change to a message or method without regenerating it fails here.
@Suite struct APIDocumentationTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let document = packageRoot.appendingPathComponent("Protocol/CUSTOMER-API.md")

    /// The customer services' description, from a real server.
    static func customerAPI(_ client: CustomerClient) async throws -> DescribeServicesResponse {
        let names = try await client.server.services().map(\.name).filter { $0.hasPrefix("customer.v1.") }
        return try await client.server.describe(services: names)
    }

    @Test func theCommittedReferenceIsWhatTheServerDescribes() async throws {
        try await withServer { _, client in
            let generated = APIReference.markdown(try await Self.customerAPI(client))
            if ProcessInfo.processInfo.environment["CUSTOMER_API_WRITE"] == "1" {
                try generated.write(to: Self.document, atomically: true, encoding: .utf8)
            }
            let committed = try String(contentsOf: Self.document, encoding: .utf8)
            let difference = zip(committed.split(separator: "\n", omittingEmptySubsequences: false),
                                 generated.split(separator: "\n", omittingEmptySubsequences: false))
                .enumerated().first { $0.element.0 != $0.element.1 }
                .map { "line \($0.offset + 1): committed \"\($0.element.0)\", generated \"\($0.element.1)\"" }
                ?? "lengths differ"
            #expect(committed == generated,
                    "Protocol/CUSTOMER-API.md is stale (\(difference)); regenerate it with `\(APIReference.regenerateCommand)`")
        }
    }

    @Test func everyRequestHasItsFieldsAndTheUploadMessageIsHeaderOrData() async throws {
        try await withServer { _, client in
            let api = try await Self.customerAPI(client)
            let schema = api.schema
            for service in api.services {
                for method in service.methods {
                    let request = try #require(schema.message(named: method.request), "\(service.name)/\(method.name)")
                    let empty: Set = ["EmptyRequest", "ListProfilesRequest", "ListUsersRequest", "WhoAmIRequest"]
                    #expect(!request.fields.isEmpty || empty.contains(request.name), "\(request.name) has no fields")
                }
            }
            let get = try #require(schema.message(named: "GetCustomerRequest"))
            #expect(get.fields == [
                FieldSchema(number: 1, name: "id", label: .optional, type: "sint64", wireType: 0),
                FieldSchema(number: 2, name: "number", label: .optional, type: "sint64", wireType: 0),
            ])
            let upload = try #require(schema.message(named: "UploadFileMessage"))
            #expect(upload.fields == [
                FieldSchema(number: 1, name: "header", label: .optional, type: "UploadFileMessage.Header", wireType: 2),
                FieldSchema(number: 2, name: "data", label: .optional, type: "bytes", wireType: 2),
            ])
            let file = try #require(api.services.first { $0.name == "customer.v1.FileService" })
            let uploadMethod = try #require(file.methods.first { $0.name == "UploadFile" })
            #expect(uploadMethod.kind == .clientStreaming)
            #expect(uploadMethod.request == "UploadFileMessage")
            #expect(uploadMethod.response == "FileInfo")
            #expect(uploadMethod.requirement == "Customers: edit (on the customer named)")
            let customers = try #require(api.services.first { $0.name == "customer.v1.CustomerService" })
            #expect(customers.methods.first { $0.name == "DeleteCustomer" }?.summary?.hasPrefix("Needs confirm = true") == true)
            let status = try #require(schema.enumeration(named: "CustomerQuery.Status"))
            #expect(status.values == [
                EnumValueSchema(name: "active", number: 0), EnumValueSchema(name: "inactive", number: 1),
                EnumValueSchema(name: "all", number: 2),
            ])
        }
    }
}

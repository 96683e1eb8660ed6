import CustomerClient
import Foundation
import Testing

/// Protocol/CUSTOMER-API.md moves with the code: every method the server offers is listed there.
@Suite struct APIDocumentationTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyRegisteredMethodIsDocumented() async throws {
        let document = try String(
            contentsOf: Self.packageRoot.appendingPathComponent("Protocol/CUSTOMER-API.md"), encoding: .utf8)
        try await withServer { _, client in
            let services = try await client.server.services()
            let customerServices = services.filter { $0.name.hasPrefix("customer.v1.") }
            #expect(!customerServices.isEmpty)
            for service in customerServices {
                for method in service.methods {
                    #expect(document.contains("`\(service.name)/\(method.name)`"), "\(service.name)/\(method.name) is not in CUSTOMER-API.md")
                }
            }
        }
    }
}

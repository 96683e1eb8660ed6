import CustomerClient
import Foundation
import Testing

/// Every registered method, called by each built-in profile against someone else's customer:
/// allowed as docs/PERMISSIONS.md's table says, or PERMISSION_DENIED naming the right, logged, with the
/// database exactly as it was.
@Suite struct PermissionMatrixTests {
    static func registeredMethods(_ client: CustomerClient) async throws -> [String] {
        try await client.server.services()
            .filter { $0.name.hasPrefix("customer.v1.") }
            .flatMap { service in service.methods.map { "\(service.name)/\($0.name)" } }
    }

    @Test(arguments: BuiltIn.allCases)
    func everyMethodIsAllowedOrRefusedAndARefusalChangesNothing(_ profile: BuiltIn) async throws {
        try await withPermissionServer(profile: profile.rawValue) { fixture in
            let methods = try await Self.registeredMethods(fixture.client)
            #expect(Set(methods) == Set(PermissionMatrix.rows.keys), "every registered method needs a PermissionMatrix row")
            var refused: [String] = []
            for method in methods {
                guard let row = PermissionMatrix.rows[method] else { continue }
                let before = try fixture.snapshot()
                let error = await outcome { try await row.call(fixture.client, fixture.seed) }
                if row.allowed.contains(profile) {
                    #expect(error == nil, "\(profile) may call \(method), got \(String(describing: error))")
                    continue
                }
                refused.append(method)
                #expect(error?.code == .permissionDenied, "\(profile) may not call \(method), got \(String(describing: error))")
                #expect(error?.message.hasPrefix("\(method) needs the right '") == true, "\(String(describing: error))")
                #expect(error?.details.map(\.field) == ["right"])
                #expect(try fixture.snapshot().changedTables(comparedTo: before) == [], "\(method) was refused but changed")
            }
            #expect(!refused.isEmpty || profile == .administrator)
            let logged = fixture.log.refusals
            #expect(logged.count == refused.count)
            for method in refused {
                #expect(logged.contains { $0.contains("method=\(method) ") && $0.contains("user=\(PermissionSeed.me) ") })
            }
        }
    }

    @Test func everyRegisteredMethodDeclaresARequirement() async throws {
        try await withServer { server, client in
            let requirements = server.app.methodRequirements
            let methods = try await Self.registeredMethods(client)
            #expect(Set(methods) == Set(requirements.keys))
            #expect(requirements["customer.v1.CustomerService/DeleteCustomer"]
                    == "Delete customers and Customers: edit (on the customer named)")
            #expect(requirements["customer.v1.UserService/WhoAmI"] == "signed in")
        }
    }
}

import CustomerClient
import CustomerServer
import Foundation
import Glibc
import Testing

/// A refused call is as cheap to send as any, and each used to write a `permission denied` line:
/// a Read-only user creating in a loop wrote 162 bytes of log a call, a trusted service naming a
/// person of 1 000 bytes 1 160, about 2 000 lines a second from one connection (redteam27,
/// `contrib/hostile/log_flood.py`), enough to fill the disk or the journal. Each OS user's refusals
/// now get a few lines an interval; the refusals still answer and change nothing.
@Suite struct RefusalLogFloodTests {
    static let calls = 300
    /// Lines let through; an interval no test outlasts, so the count is exact on any machine.
    static let limit = CustomerServerConfiguration.RefusalLogLimit(lines: 5, interval: .seconds(3_600))

    @Test func aReadOnlyUserRefusedInALoopWritesOnlyItsLines() async throws {
        try await withPermissionServer(profile: BuiltIn.readOnly.rawValue, configure: { $0.refusalLogLimit = Self.limit }) { fixture in
            let before = try fixture.snapshot()
            for _ in 0..<Self.calls {
                let error = await outcome { _ = try await fixture.client.customers.create(CustomerFields(name: "Flood Oy")) }
                #expect(error?.code == .permissionDenied, "\(String(describing: error))")
            }
            #expect(try fixture.snapshot().changedTables(comparedTo: before) == [])
            let logged = fixture.log.refusals
            #expect(logged.count == Self.limit.lines, "\(logged.count) lines for \(Self.calls) refusals")
            #expect(logged.allSatisfy {
                $0.contains("method=customer.v1.CustomerService/CreateCustomer ") && $0.contains("user=\(PermissionSeed.me) ")
                    && $0.contains("uid=\(getuid()) ")
            })
        }
    }

    @Test func aTrustedServiceNamingLongNamesOfNobodyWritesOnlyItsLines() async throws {
        try await withPermissionServer(profile: BuiltIn.administrator.rawValue, trusted: true,
                                       configure: { $0.refusalLogLimit = Self.limit }) { fixture in
            let nobody = String(repeating: "n", count: 1_000)
            for _ in 0..<Self.calls {
                let error = await outcome { _ = try await fixture.client.users.whoAmI(options: .acting(for: nobody)) }
                #expect(error?.code == .unauthenticated, "\(String(describing: error))")
            }
            let logged = fixture.log.refusals
            #expect(logged.count == Self.limit.lines, "\(logged.count) lines for \(Self.calls) refusals")
            #expect(logged.reduce(0) { $0 + $1.utf8.count } < Self.limit.lines * 1_200)
            // Refused, it is still the administrator when it acts for itself.
            let me = try await fixture.client.users.whoAmI()
            #expect(me.name == PermissionSeed.me)
        }
    }
}

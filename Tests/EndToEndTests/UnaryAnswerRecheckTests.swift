@testable import CustomerServer
@testable import CustomerStore
import CustomerClient
import Foundation
import RPCCore
import TestSupport
import Testing

/// A unary read admitted while its user was an active Sales user (Customers: read all, Financial
/// figures visible), that waits for a reader while the user's rights change, and answers only
/// after the change was acknowledged: its answer goes only to a caller a new call would still
/// admit (standing25; before, the customer was answered to the deactivated or narrowed user).
/// The order is fixed, not raced: every reader is held by the test, the read waits for one, the
/// change commits, then the readers are given back.
@Suite struct UnaryAnswerRecheckTests {
    static let salesUID: UInt32 = 4614
    static let holderUID: UInt32 = 4615

    enum Read: String, CaseIterable, Sendable {
        /// `GetCustomer`: an answer written as it is read (`GuardedRouter`'s `encoding` registration).
        case getCustomer
        /// `ListAddresses`: an answer returned as a message.
        case listAddresses
        /// `GetCustomer` of a customer that does not exist: the read's error (`NOT_FOUND`, which
        /// tells a caller what exists) is withheld as an answer is.
        case getMissingCustomer
    }

    @Test(arguments: Read.allCases, [
        ("deactivated", StatusCode.unauthenticated, "user 'sales' (uid 4614) is deactivated; its answer, made before the change, was withheld"),
        ("Consultant", StatusCode.permissionDenied, "its answer, made before the change, was withheld"),
        ("Read only", StatusCode.permissionDenied,
         "user 'sales' has profile 'Read only' now, which shows less than when the call started; its answer, made before the change, was withheld"),
        ("Administrator", StatusCode.ok, ""),
    ])
    func aReadAnsweredAfterItsUsersRightsChangedGoesOnlyToACallerStillAllowed(
        read: Read, change: (String, StatusCode, String)
    ) async throws {
        let (profile, status, message) = change
        try await withServer { server, admin in
            _ = try await admin.users.add(uid: Self.salesUID, name: "sales", isAdministrator: false, profile: "Sales")
            // Not the Sales user's own: out of a Consultant's scope.
            let customer = try await admin.customers.create(CustomerFields(name: "Kept Oy"))
            _ = try await admin.addresses.add(customerID: customer.id, AddressFields(street1: "Kauppatie 1", city: "Turku", country: "FI"))
            let client = server.client(asUID: Self.salesUID)
            defer { client.close() }
            let ask = { () async throws -> String in
                switch read {
                case .getCustomer: return try await client.customers.get(id: customer.id).name
                case .listAddresses: return try await client.addresses.list(customerID: customer.id).flatMap(\.street).joined()
                case .getMissingCustomer:
                    do {
                        return try await client.customers.get(id: customer.id + 1_000).name
                    } catch let error as RPCError where error.code == .notFound {
                        return "NOT_FOUND"
                    }
                }
            }
            let expected = switch read {
            case .getCustomer: "Kept Oy"
            case .listAddresses: "Kauppatie 1"
            case .getMissingCustomer: "NOT_FOUND"
            }
            // Served once: its connection's thread has the user, so the next read waits for a reader
            // only after its identity and requirement were checked.
            #expect(try await ask() == expected)

            let gates = (0..<4).map { _ in Gate() }
            defer { gates.forEach { $0.open() } }
            var holders: [ThreadTask<Void>] = []
            for gate in gates {
                holders.append(server.holdReader(as: Self.holderUID, until: gate))
                try await gate.waitUntilHeld()
            }
            async let answer = ask()
            try await waitUntil("the read to wait for a reader") { server.threadsWaitingForAReader == 1 }
            // Written as the administration's handlers write it (`users.changing`), on the writer:
            // an administrator's call would itself wait for a reader the test holds.
            let store = server.app.store
            let users = server.app.services.checker.identity.users
            try await onThread {
                _ = try users.changing {
                    profile == "deactivated"
                        ? try store.setUserActive(userName: "sales", false)
                        : try store.setUserProfile(userName: "sales", profileName: profile)
                }
            }
            gates.forEach { $0.open() }
            do {
                let answered = try await answer
                #expect(status == .ok, "answered after the change: \(answered)")
                #expect(answered == expected)
            } catch let error as RPCError {
                #expect(error.code == status, "\(error)")
                #expect(error.message.hasSuffix(message), "\(error.message)")
            }
            let held = holders
            try await withDeadline("the held reads to end") { for holder in held { try await holder.value } }
        }
    }
}

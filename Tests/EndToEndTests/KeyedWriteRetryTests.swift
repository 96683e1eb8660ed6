import CustomerClient
import Foundation
import ServiceLog
import RPCClient
import RPCServing
import Synchronization
import TestSupport
import Testing

/// The client library sends a keyed write again, with the same key, while it fails UNAVAILABLE.
///
/// Against a stand-in for the customer service on a real socket, whose answers the test chooses:
/// a real server cannot be made to fail exactly one attempt on demand.
@Suite struct KeyedWriteRetryTests {
    /// Answers `CreateCustomer` and `GetCustomer` with `UNAVAILABLE` `failures` times, then OK,
    /// and records the idempotency key of every attempt.
    final class FlakyService: RPCService {
        let failures: Int
        let keys = Mutex<[String?]>([])

        init(failures: Int) {
            self.failures = failures
        }

        func register(with router: inout Router) {
            router.registerUnary(CustomerService.createCustomer.descriptor) {
                (request: CreateCustomerRequest, context: ServerContext) -> Customer in
                try self.attempt(context)
                return Customer(id: 7, number: 10_007, name: request.fields.name ?? "", active: true, version: 1,
                                createdAt: Date(timeIntervalSince1970: 0), createdBy: UserRef(id: 1, name: "me"),
                                updatedAt: Date(timeIntervalSince1970: 0), updatedBy: UserRef(id: 1, name: "me"))
            }
            router.registerUnary(CustomerService.getCustomer.descriptor) {
                (_: GetCustomerRequest, context: ServerContext) -> Customer in
                try self.attempt(context)
                throw RPCError(.notFound, "no such customer")
            }
        }

        private func attempt(_ context: ServerContext) throws {
            let count = keys.withLock { keys in
                keys.append(context.metadata[IdempotencyKey.metadataKey])
                return keys.count
            }
            if count <= failures { throw RPCError(.unavailable, "busy, try again") }
        }
    }

    func withFlakyServer(failures: Int, _ body: (FlakyService, CustomerClient) async throws -> Void) async throws {
        let directory = try TestServer.makeTemporaryDirectory()
        let service = FlakyService(failures: failures)
        let server = RPCServer(configuration: ServerConfiguration(socketPath: directory.appendingPathComponent("f.sock").path),
                               services: [service], logger: Logger(label: "flaky", level: .warning))
        try await onThread { try server.start() }
        let client = CustomerClient(socketPath: directory.appendingPathComponent("f.sock").path)
        do {
            try await body(service, client)
        } catch {
            client.close()
            await onThread { server.shutdown() }
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        client.close()
        await onThread { server.shutdown() }
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func aWriteFailingUnavailableIsSentAgainWithTheSameKey() async throws {
        try await withFlakyServer(failures: IdempotencyKey.attempts - 1) { service, client in
            let created = try await client.customers.create(CustomerFields(name: "Retried"))
            #expect(created.name == "Retried")
            let keys = service.keys.withLock { $0 }
            #expect(keys.count == IdempotencyKey.attempts)
            #expect(keys.first??.isEmpty == false)
            #expect(Set(keys).count == 1, "every attempt carries the first one's key: \(keys)")
        }
    }

    @Test func aWriteGivesUpAfterItsAttemptsAndAReadIsNotRetried() async throws {
        try await withFlakyServer(failures: 100) { service, client in
            let write = await #expect(throws: RPCError.self) { try await client.customers.create(CustomerFields(name: "No")) }
            #expect(write?.code == .unavailable)
            #expect(service.keys.withLock { $0.count } == IdempotencyKey.attempts)
            let read = await #expect(throws: RPCError.self) { try await client.customers.get(id: 7) }
            #expect(read?.code == .unavailable)
            #expect(service.keys.withLock { $0.count } == IdempotencyKey.attempts + 1)
        }
    }
}

import CustomerClient
import Foundation
import Testing

/// Several clients changing the same customer: optimistic concurrency loses no update.
@Suite struct ConcurrencyTests {
    @Test func concurrentIncrementsFromSeveralClientsAreAllKept() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Counter", description: "0"))
            let clients = (0..<4).map { _ in server.client() }
            let incrementsPerClient = 10
            try await withThrowingTaskGroup(of: Int.self) { group in
                for other in clients {
                    group.addTask {
                        var conflicts = 0
                        for _ in 0..<incrementsPerClient {
                            while true {
                                let current = try await other.customers.get(id: customer.id)
                                let next = (Int(current.description ?? "0") ?? 0) + 1
                                do {
                                    _ = try await other.customers.update(
                                        id: customer.id, CustomerFields(description: String(next)),
                                        expectedVersion: current.version)
                                    break
                                } catch let error as RPCError where error.code == .aborted {
                                    conflicts += 1
                                }
                            }
                        }
                        return conflicts
                    }
                }
                for try await _ in group {}
            }
            clients.forEach { $0.close() }
            let final = try await client.customers.get(id: customer.id)
            #expect(final.description == String(4 * incrementsPerClient))
            #expect(final.version == Int64(1 + 4 * incrementsPerClient))
        }
    }

    @Test func concurrentCreatesGetDistinctNumbers() async throws {
        try await withServer { server, client in
            let clients = (0..<4).map { _ in server.client() }
            let numbers = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for (index, other) in clients.enumerated() {
                    group.addTask {
                        var numbers: [Int64] = []
                        for item in 0..<25 {
                            numbers.append(try await other.customers.create(CustomerFields(name: "C\(index)-\(item)")).number)
                        }
                        return numbers
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            clients.forEach { $0.close() }
            #expect(Set(numbers).count == 100)
            #expect(try await client.customers.list(limit: 1000).customers.count == 100)
        }
    }
}

import Foundation
import Synchronization
import TestSupport
import Testing
@testable import CustomerStore
import SQLiteEngine

@Suite struct ConcurrencyTests {
    /// Threads update the same customers with optimistic retries while others read: every update
    /// lands exactly once, and the version counts them.
    @Test func concurrentWritersAndReadersStayConsistent() async throws {
        let fixture = try Fixture(readerCount: 2)
        let store = fixture.store
        let customers = try (1...4).map { try fixture.create("Shared \($0)") }
        let threads = 6
        let updatesPerThread = 25
        let failures = Mutex<[String]>([])

        // Threads of their own, all at once: `concurrentPerform` ran its workers on Dispatch's global
        // threads (on Linux the cooperative pool's), or one after another on the test's own pool
        // thread while the pool was busy, holding it all along.
        _ = try await onThreads(threads + 2) { worker in
            do {
                if worker >= threads {
                    // Readers: each snapshot must be internally consistent.
                    for _ in 0..<100 {
                        for customer in try allPages(store, limit: 3) where customer.version < 1 {
                            throw StoreError.aborted("bad version \(customer.version)", field: "expectedVersion")
                        }
                    }
                    return
                }
                for step in 0..<updatesPerThread {
                    let target = customers[(worker + step) % customers.count].id
                    while true {
                        let current = try store.customer(id: target)
                        do {
                            _ = try store.updateCustomer(id: target, CustomerChanges(description: "w\(worker) s\(step)"),
                                                         expectedVersion: current.version, by: .user(fixture.admin.id))
                            break
                        } catch StoreError.aborted {
                            continue  // Someone else wrote first: read again and retry, as a client would.
                        }
                    }
                }
            } catch {
                failures.withLock { $0.append("worker \(worker): \(error)") }
            }
        }

        #expect(failures.withLock { $0 } == [])
        let versions = try customers.map { try store.customer(id: $0.id).version }
        #expect(versions.reduce(0, +) == Int64(customers.count + threads * updatesPerThread))
    }

    @Test func concurrentCreatesGetDistinctNumbers() async throws {
        let fixture = try Fixture()
        let numbers = Mutex<[Int64]>([])
        _ = try await onThreads(8) { worker in
            for index in 0..<20 {
                if let customer = try? fixture.create("Parallel \(worker)-\(index)") {
                    numbers.withLock { $0.append(customer.number) }
                }
            }
        }
        let all = numbers.withLock { $0 }
        #expect(all.count == 160)
        #expect(Set(all) == Set(10_001...10_160))
    }

    /// A read block is one snapshot: a write committed while it runs is not seen until the next one.
    @Test func readBlockSeesOneSnapshot() throws {
        let fixture = try Fixture()
        try fixture.create("Before")
        func count(_ connection: SQLiteConnection) throws -> Int64 {
            try connection.withStatement("SELECT count(*) FROM customers") { try $0.step() ? $0.int64(0) : -1 }
        }
        let (inside, later) = try fixture.store.read { connection -> (Int64, Int64) in
            let first = try count(connection)
            try fixture.create("During")  // commits on the writer connection meanwhile
            return (first, try count(connection))
        }
        #expect(inside == 1 && later == 1)
        #expect(try allPages(fixture.store).count == 2)
    }
}

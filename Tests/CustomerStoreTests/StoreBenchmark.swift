import Foundation
import Testing
@testable import CustomerStore

/// Not a test of speed (it asserts nothing about time): a measurement run on demand with
/// `CUSTOMERSTORE_BENCH=1 swift test -c release --filter StoreBenchmark`.
@Suite struct StoreBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CUSTOMERSTORE_BENCH"] != nil))
    func customerByIDLatencyWith100000Customers() throws {
        let fixture = try Fixture()
        let total = 100_000
        let seedStart = ContinuousClock.now
        for batchStart in stride(from: 0, to: total, by: 10_000) {
            try fixture.store.createCustomers((batchStart..<batchStart + 10_000).map {
                NewCustomer(name: "Customer \($0)", accountManagerID: fixture.other.id, vatNumber: "FI\(10_000_000 + $0)",
                            country: "FI", email: "info\($0)@example.com", website: "example\($0).com", phone: "+358 40 123 4567")
            }, by: .user(fixture.admin.id))
        }
        let seedTime = ContinuousClock.now - seedStart

        var samples: [Duration] = []
        samples.reserveCapacity(200_000)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200_000 {
            let id = Int64.random(in: 1...Int64(total), using: &generator)
            let start = ContinuousClock.now
            let customer = try fixture.store.customer(id: id)
            let elapsed = ContinuousClock.now - start
            if round >= 20_000 { samples.append(elapsed) }  // the first 10% warm up caches
            #expect(customer.id == id)
        }
        samples.sort()
        func percentile(_ p: Double) -> Duration { samples[min(samples.count - 1, Int(Double(samples.count) * p))] }

        let pageStart = ContinuousClock.now
        var token: String?
        var pages = 0
        repeat {
            let page = try fixture.store.listCustomers(CustomerFilter(), order: .byName, limit: 50, pageToken: token)
            token = page.nextPageToken
            pages += 1
        } while token != nil
        let pagingTime = ContinuousClock.now - pageStart

        print("""
            StoreBenchmark: seeded \(total) customers in \(seedTime)
            StoreBenchmark: customer(id:) p50 \(percentile(0.5)) p90 \(percentile(0.9)) p99 \(percentile(0.99)) over \(samples.count) calls
            StoreBenchmark: listed all \(pages) pages of 50 by name in \(pagingTime) (\(pagingTime / pages) per page)
            """)
    }
}

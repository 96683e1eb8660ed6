import CustomerClient
import Foundation
import Testing

/// Requests whose repeated fields would make one call hold the store's single writer for long
/// (docs/HARDENING.md), through a real server and socket: refused before the write begins.
@Suite struct RequestSizeLimitTests {
    /// 200 000 segment ids: each was looked up inside the write transaction, every other write
    /// waiting, and the refusal listed all of them. Now refused by count, naming the field.
    @Test func aMillionSegmentIdsAreRefusedByCountAndOthersStillWrite() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Segmented Oy"))
            let error = await outcome {
                _ = try await client.settings.setCustomerSegments(customerID: customer.id, Array(1...200_000))
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.details.map(\.field) == ["segmentIds"])
            #expect(error?.message.contains("at most 1000 distinct segments, got 200000") == true, "\(String(describing: error))")

            let unknown = await outcome {
                _ = try await client.settings.setCustomerSegments(customerID: customer.id, Array(1...50))
            }
            #expect(unknown?.message.contains("and 30 more") == true, "\(String(describing: unknown))")
            let nordics = try await client.settings.createSegment("Nordics")
            #expect(try await client.settings.setCustomerSegments(customerID: customer.id, [nordics.id]).map(\.id) == [nordics.id])
        }
    }
}

import CustomerClient
import Foundation
import TestSupport

/// The server's health once it stopped answering SERVING, or SERVING still after `testWaitLimit`:
/// what an operator's probe sees of a failure the server finds on its own (the database files'
/// monitor looks every second), asked every 50 ms.
func healthOnceNotServing(_ client: CustomerClient) async throws -> ServingStatus {
    let giveUp = ContinuousClock.now + .seconds(testWaitLimit)
    var health = try await client.server.health()
    while health == .serving && ContinuousClock.now < giveUp {
        try await Task.sleep(for: .milliseconds(50))
        health = try await client.server.health()
    }
    return health
}

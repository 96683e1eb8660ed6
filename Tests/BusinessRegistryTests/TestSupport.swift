import BusinessIdentifiers
import BusinessRegistry
import Foundation
import RegistryTestSupport
import Testing

// The loopback server, the fixtures and `withRegistry` live in RegistryTestSupport, shared with
// the end-to-end tests.

/// Looks `vat` up in `country`'s provider and returns the error it fails with, or records an issue.
func lookupError(_ directory: RegistryDirectory, _ vat: String, country: String) async throws -> RegistryError? {
    let provider = try #require(directory.provider(for: country))
    do {
        let record = try await provider.lookup(try VATNumber.parse(vat, country: country))
        Issue.record("expected a failure, got \(record)")
        return nil
    } catch let error as RegistryError {
        return error
    }
}

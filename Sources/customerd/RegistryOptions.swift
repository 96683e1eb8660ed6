import BusinessRegistry
import CommandLineKit
import Foundation

/// `--registry-url CC=URL` (repeatable) and `--registry-timeout SECONDS` as a registry directory.
enum RegistryOptions {
    static let defaultTimeoutSeconds = 10.0

    /// The directory with each given URL replacing its country's default.
    /// - Throws: `UsageError` naming the option and what is wrong with it.
    static func directory(urls: [String], timeout: String?) throws(UsageError) -> RegistryDirectory {
        var baseURLs: [String: URL] = [:]
        for option in urls {
            do {
                let (country, url) = try RegistryDirectory.parseBaseURLOption(option)
                baseURLs[country] = url
            } catch {
                throw UsageError("--registry-url: \(error)")
            }
        }
        var seconds = defaultTimeoutSeconds
        if let timeout {
            guard let value = ParsedArguments.decimal(timeout), value.isFinite, value > 0, value <= 600 else {
                throw UsageError("--registry-timeout needs a number of seconds above 0 and at most 600, got '\(timeout)'")
            }
            seconds = value
        }
        return RegistryDirectory(baseURLs: baseURLs, timeout: .milliseconds(Int64((seconds * 1000).rounded())))
    }
}

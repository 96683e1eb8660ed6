import BusinessRegistry
import CustomerServer
import Foundation

extension CustomerServerConfiguration {
    /// A fuzzed server's configuration: its socket and database in `directory` (created here), the
    /// store started with `administrator`, and the business registries a closed local port, so
    /// nothing a fuzzed request names leaves the machine.
    static func fuzzing(in directory: String, socketName: String,
                        administrator: InitialUser) throws -> CustomerServerConfiguration {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = CustomerServerConfiguration(socketPath: directory + "/" + socketName,
                                                        databasePath: directory + "/customers.sqlite")
        configuration.initialAdministrators = [administrator]
        let closed = URL(string: "http://127.0.0.1:9/")
        configuration.registries = RegistryDirectory(baseURLs: ["FI": closed, "NO": closed].compactMapValues { $0 },
                                                     timeout: .seconds(1))
        return configuration
    }
}

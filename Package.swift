// swift-tools-version:6.0
// CustomerCard: customer records served over a binary RPC protocol on Unix sockets.
// No package dependencies by design: Foundation, Dispatch, Glibc and the system SQLite only.
import PackageDescription

let package = Package(
    name: "CustomerCard",
    products: [
        .library(name: "CustomerClient", targets: ["CustomerClient"]),
        .library(name: "CustomerAPI", targets: ["CustomerAPI"]),
        .library(name: "BinaryCoding", targets: ["BinaryCoding"]),
        .library(name: "RPC", targets: ["RPC"]),
        .executable(name: "customerd", targets: ["customerd"]),
        .executable(name: "customerctl", targets: ["customerctl"]),
        .executable(name: "customer-bench", targets: ["customer-bench"]),
    ],
    targets: [
        // Layer 0: the binary Codable format (knows nothing of sockets or customers).
        .target(name: "BinaryCoding", path: "Protocol/BinaryCoding"),

        // One-line structured logging shared by the server side and the tools.
        .target(name: "Logging", path: "Sources/Logging"),

        // Layer 1: frames, status, deadlines, Unix-socket transport, client channel, server dispatch.
        .target(name: "RPC", dependencies: ["BinaryCoding", "Logging"], path: "Sources/RPC"),

        // Layer 2: messages and service descriptors of the customer API.
        .target(name: "CustomerAPI", dependencies: ["BinaryCoding", "RPC"], path: "Protocol/CustomerAPI"),

        // The system SQLite (Debian's libsqlite3-dev).
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite",
                       providers: [.apt(["libsqlite3-dev"])]),

        // SHA-256 (FIPS 180-4), incremental; shared by the store (file blobs) and the client library.
        .target(name: "Hashing", path: "Sources/Hashing"),

        // Layer 2: SQLite wrapper, migrations, queries.
        .target(name: "CustomerStore", dependencies: ["CSQLite", "Hashing"], path: "Sources/CustomerStore"),

        // VAT numbers and business ids with their check digits, per country.
        .target(name: "BusinessIdentifiers", path: "Sources/BusinessIdentifiers"),

        // National business registries (Finland's PRH, Norway's Brønnøysund) over HTTP.
        .target(name: "BusinessRegistry", dependencies: ["BusinessIdentifiers"], path: "Sources/BusinessRegistry"),

        // Layer 3: service handlers, identity, permissions, audit.
        .target(name: "CustomerServer",
                dependencies: ["RPC", "BinaryCoding", "CustomerAPI", "CustomerStore", "BusinessIdentifiers", "BusinessRegistry",
                               "Logging", "Hashing"],
                path: "Sources/CustomerServer"),

        // Argument parsing and help conventions shared by the executables.
        .target(name: "CommandLineKit", path: "Sources/CommandLineKit"),

        .executableTarget(name: "customerd",
                          dependencies: ["CustomerServer", "BusinessRegistry", "RPC", "Logging", "CommandLineKit"],
                          path: "Sources/customerd"),

        // Clients.
        .target(name: "CustomerClient", dependencies: ["RPC", "CustomerAPI", "Hashing"], path: "Clients/CustomerClient"),
        .executableTarget(name: "customerctl", dependencies: ["CustomerClient", "CommandLineKit", "Hashing"], path: "Clients/customerctl"),
        .executableTarget(name: "customer-bench", dependencies: ["CustomerClient", "RPC", "CSQLite", "CommandLineKit", "CustomerStore"],
                          path: "Clients/customer-bench"),

        // Tests mirror the modules; EndToEndTests start real servers on real sockets.
        // A loopback HTTP server and registry answer documents, shared by the registry and end-to-end tests.
        .target(name: "RegistryTestSupport", dependencies: ["BusinessRegistry"], path: "Tests/RegistryTestSupport",
                exclude: ["Fixtures"]),
        .testTarget(name: "BinaryCodingTests", dependencies: ["BinaryCoding"], path: "Tests/BinaryCodingTests"),
        .testTarget(name: "RPCTests", dependencies: ["RPC", "BinaryCoding"], path: "Tests/RPCTests"),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"], path: "Tests/HashingTests"),
        .testTarget(name: "CustomerStoreTests", dependencies: ["CustomerStore"], path: "Tests/CustomerStoreTests"),
        .testTarget(name: "BusinessIdentifiersTests", dependencies: ["BusinessIdentifiers"], path: "Tests/BusinessIdentifiersTests"),
        .testTarget(name: "BusinessRegistryTests",
                    dependencies: ["BusinessRegistry", "BusinessIdentifiers", "RegistryTestSupport"],
                    path: "Tests/BusinessRegistryTests"),
        .testTarget(name: "CustomerAPITests", dependencies: ["CustomerAPI", "BinaryCoding"], path: "Tests/CustomerAPITests"),
        .testTarget(name: "CustomerBenchTests", dependencies: ["customer-bench", "CommandLineKit"], path: "Tests/CustomerBenchTests"),
        .testTarget(name: "CustomerCtlTests", dependencies: ["customerctl", "CommandLineKit", "CustomerClient"],
                    path: "Tests/CustomerCtlTests"),
        .testTarget(name: "CommandLineKitTests", dependencies: ["CommandLineKit"], path: "Tests/CommandLineKitTests"),
        // Fuzz targets' one-input entry points (Tests/Fuzz/run), replayed on their seeds and saved crashes by the suite.
        .target(name: "FuzzTargets",
                dependencies: ["BinaryCoding", "RPC", "CustomerAPI", "CustomerServer", "BusinessRegistry", "Logging"],
                path: "Tests/Fuzz/Targets"),
        .testTarget(name: "FuzzReplayTests", dependencies: ["FuzzTargets", "BinaryCoding", "CustomerAPI", "RPC"],
                    path: "Tests/FuzzReplayTests"),
        .testTarget(name: "EndToEndTests",
                    dependencies: ["CustomerClient", "CustomerServer", "CustomerStore", "RPC", "Hashing", "customerd", "customerctl",
                                   "BusinessRegistry", "RegistryTestSupport", "CommandLineKit"],
                    path: "Tests/EndToEndTests"),
    ]
)

// The libFuzzer binary exists only in the fuzzing build (Tests/Fuzz/run sets CUSTOMERCARD_FUZZ=1 and
// `-sanitize=fuzzer,address`): libFuzzer supplies its `main`, so a plain build could not link it.
if Context.environment["CUSTOMERCARD_FUZZ"] == "1" {
    package.targets.append(.executableTarget(name: "customercard-fuzz", dependencies: ["FuzzTargets"], path: "Tests/Fuzz/Runner"))
    package.products.append(.executable(name: "customercard-fuzz", targets: ["customercard-fuzz"]))
}

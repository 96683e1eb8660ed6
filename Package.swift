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
        .library(name: "RPCClient", targets: ["RPCClient"]),
        .library(name: "RPCServing", targets: ["RPCServing"]),
        .executable(name: "customerd", targets: ["customerd"]),
        .executable(name: "customerctl", targets: ["customerctl"]),
        .executable(name: "customer-bench", targets: ["customer-bench"]),
    ],
    targets: [
        // Text someone else wrote made safe to show a person (`TerminalText`): below the protocol,
        // whose decoders quote what a client sent with it, and the log, which writes every line with it.
        .target(name: "DisplayText", path: "Sources/DisplayText"),

        // Layer 0: the binary Codable format (knows nothing of sockets or customers).
        .target(name: "BinaryCoding", dependencies: ["DisplayText"], path: "Protocol/BinaryCoding"),

        // The product's version, one constant for every executable and the server's handshake.
        .target(name: "ProductVersion", path: "Sources/ProductVersion"),

        // One-line structured logging shared by the server side and the tools.
        .target(name: "ServiceLog", dependencies: ["DisplayText"], path: "Sources/ServiceLog"),

        // A value shared between threads under one lock and condition variable: the one place the
        // thread-based parts of the runtime and the engine need `@unchecked Sendable`.
        .target(name: "ThreadSync", path: "Sources/ThreadSync"),

        // Who may change what a directory holds (owner, mode, sticky parents): the one rule behind the
        // database's directory, the server's socket directory and customerctl's default socket.
        .target(name: "DirectorySafety", path: "Sources/DirectorySafety"),

        // Layer 1, the RPC runtime, in four parts so each user takes only what it needs:
        // the core types (status codes, errors, metadata, method descriptors, the built-in services' messages),
        .target(name: "RPCCore", dependencies: ["BinaryCoding", "DisplayText"], path: "Sources/RPCCore"),
        // frames, the handshake and the Unix-socket transport, shared by both ends,
        .target(name: "RPCTransport", dependencies: ["RPCCore", "BinaryCoding", "ThreadSync"], path: "Sources/RPCTransport"),
        // the client channel,
        .target(name: "RPCClient", dependencies: ["RPCCore", "RPCTransport", "BinaryCoding", "ThreadSync"], path: "Sources/RPCClient"),
        // and the server: connections, dispatch, lifecycle and the built-in services.
        .target(name: "RPCServing", dependencies: ["RPCCore", "RPCTransport", "BinaryCoding", "ServiceLog", "ThreadSync", "DirectorySafety"],
                path: "Sources/RPCServing"),

        // Layer 2: messages and service descriptors of the customer API.
        .target(name: "CustomerAPI", dependencies: ["BinaryCoding", "RPCCore"], path: "Protocol/CustomerAPI"),

        // The system SQLite (Debian's libsqlite3-dev).
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite",
                       providers: [.apt(["libsqlite3-dev"])]),

        // SHA-256 (FIPS 180-4), incremental; shared by the store (file blobs) and the client library.
        .target(name: "Hashing", path: "Sources/Hashing"),

        // Layer 2: the SQLite engine: connection, statements, reader pool, group-commit writer,
        // checkpoints, migration runner, database lock. Knows nothing of customers.
        .target(name: "SQLiteEngine", dependencies: ["CSQLite", "ThreadSync"], path: "Sources/SQLiteEngine"),

        // Layer 2: the customer records: rows, validators, queries, history, the schema's migrations.
        .target(name: "CustomerStore", dependencies: ["CSQLite", "SQLiteEngine", "Hashing", "ThreadSync", "DirectorySafety", "ServiceLog"],
                path: "Sources/CustomerStore"),

        // VAT numbers and business ids with their check digits, per country.
        .target(name: "BusinessIdentifiers", path: "Sources/BusinessIdentifiers"),

        // National business registries (Finland's PRH, Norway's Brønnøysund) over HTTP.
        .target(name: "BusinessRegistry", dependencies: ["BusinessIdentifiers"], path: "Sources/BusinessRegistry"),

        // Layer 3: service handlers, identity, permissions, audit.
        .target(name: "CustomerServer",
                dependencies: ["RPCServing", "RPCTransport", "BinaryCoding", "CustomerAPI", "CustomerStore", "BusinessIdentifiers", "BusinessRegistry",
                               "ServiceLog", "ProductVersion", "Hashing", "ThreadSync"],
                path: "Sources/CustomerServer"),

        // Argument parsing and help conventions shared by the executables.
        .target(name: "CommandLineKit", path: "Sources/CommandLineKit"),

        .executableTarget(name: "customerd",
                          dependencies: ["CustomerServer", "BusinessRegistry", "RPCServing", "RPCTransport", "ServiceLog",
                                         "CommandLineKit", "ProductVersion"],
                          path: "Sources/customerd"),

        // Clients.
        .target(name: "CustomerClient", dependencies: ["RPCClient", "CustomerAPI", "Hashing", "BinaryCoding"],
                path: "Clients/CustomerClient"),
        // customerctl's reading of a customer CSV file (the reader and the rows' mapping to records), apart so the fuzz target `csv` reaches it.
        .target(name: "CustomerCSV", dependencies: ["CustomerClient", "CommandLineKit", "DisplayText"], path: "Clients/CustomerCSV"),
        .executableTarget(name: "customerctl", dependencies: ["CustomerClient", "CustomerCSV", "CommandLineKit", "BinaryCoding", "Hashing", "ProductVersion", "DirectorySafety", "ServiceLog"],
                          path: "Clients/customerctl"),
        .executableTarget(name: "customer-bench", dependencies: ["CustomerClient", "RPCClient", "RPCServing", "ServiceLog", "SQLiteEngine",
                                                                   "CommandLineKit", "CustomerStore", "ProductVersion"],
                          path: "Clients/customer-bench"),

        // Tests mirror the modules; EndToEndTests start real servers on real sockets.
        // A loopback HTTP server and registry answer documents, shared by the registry and end-to-end tests.
        .target(name: "RegistryTestSupport", dependencies: ["BusinessRegistry", "TestSupport"], path: "Tests/RegistryTestSupport",
                exclude: ["Fixtures"]),
        // Bounded waits (also for child processes), work on threads of its own, seeded randomness,
        // temporary directories and log captures: shared by every test target.
        .target(name: "TestSupport", dependencies: ["CommandLineKit", "ServiceLog"], path: "Tests/TestSupport"),
        // A DirectDecodable message's own reader against the generic decoder: shared by the codec tests and the fuzz targets.
        .target(name: "DecodingComparison", dependencies: ["BinaryCoding"], path: "Tests/DecodingComparison"),
        .testTarget(name: "BinaryCodingTests", dependencies: ["TestSupport", "DecodingComparison", "BinaryCoding"], path: "Tests/BinaryCodingTests"),
        .testTarget(name: "ThreadSyncTests", dependencies: ["TestSupport", "ThreadSync"], path: "Tests/ThreadSyncTests"),
        .testTarget(name: "RPCTests", dependencies: ["TestSupport", "RPCCore", "RPCTransport", "RPCClient", "RPCServing", "ServiceLog", "BinaryCoding"], path: "Tests/RPCTests"),
        .testTarget(name: "HashingTests", dependencies: ["TestSupport", "Hashing"], path: "Tests/HashingTests"),
        .testTarget(name: "SQLiteEngineTests", dependencies: ["TestSupport", "CommandLineKit", "SQLiteEngine", "CSQLite"], path: "Tests/SQLiteEngineTests"),
        .testTarget(name: "CustomerStoreTests", dependencies: ["TestSupport", "CustomerStore", "SQLiteEngine"], path: "Tests/CustomerStoreTests"),
        .testTarget(name: "BusinessIdentifiersTests", dependencies: ["TestSupport", "BusinessIdentifiers"], path: "Tests/BusinessIdentifiersTests"),
        .testTarget(name: "BusinessRegistryTests",
                    dependencies: ["TestSupport", "BusinessRegistry", "BusinessIdentifiers", "RegistryTestSupport"],
                    path: "Tests/BusinessRegistryTests"),
        .testTarget(name: "CustomerAPITests", dependencies: ["TestSupport", "DecodingComparison", "CustomerAPI", "RPCCore", "BinaryCoding"], path: "Tests/CustomerAPITests"),
        .testTarget(name: "CustomerBenchTests", dependencies: ["TestSupport", "customer-bench", "CommandLineKit"], path: "Tests/CustomerBenchTests"),
        .testTarget(name: "CustomerCtlTests", dependencies: ["TestSupport", "customerctl", "CustomerCSV", "CommandLineKit", "CustomerClient"],
                    path: "Tests/CustomerCtlTests"),
        .testTarget(name: "CommandLineKitTests", dependencies: ["TestSupport", "CommandLineKit"], path: "Tests/CommandLineKitTests"),
        // Fuzz targets' one-input entry points (Tests/Fuzz/run), replayed on their seeds and saved crashes by the suite.
        .target(name: "FuzzTargets",
                dependencies: ["BinaryCoding", "DecodingComparison", "RPCCore", "RPCTransport", "RPCServing", "CustomerAPI", "CustomerServer",
                               "BusinessRegistry", "ServiceLog", "CustomerCSV", "CustomerClient", "CustomerStore", "CommandLineKit",
                               "SQLiteEngine"],
                path: "Tests/Fuzz/Targets"),
        .testTarget(name: "FuzzReplayTests", dependencies: ["TestSupport", "FuzzTargets", "BinaryCoding", "BusinessRegistry", "CustomerAPI", "CustomerClient", "RPCClient", "RPCServing"],
                    path: "Tests/FuzzReplayTests"),
        // The assembled server on a real SQLite file, called through in-process pairs: no socket files.
        .testTarget(name: "CustomerServerTests",
                    dependencies: ["TestSupport", "CustomerServer", "CustomerClient", "CustomerStore", "CustomerAPI", "BinaryCoding",
                                   "RPCCore", "RPCTransport", "ServiceLog"],
                    path: "Tests/CustomerServerTests"),
        .testTarget(name: "EndToEndTests",
                    dependencies: ["TestSupport", "CustomerClient", "CustomerServer", "CustomerStore", "RPCClient", "RPCCore", "RPCServing", "RPCTransport", "ServiceLog", "Hashing", "SQLiteEngine", "customerd", "customerctl",
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

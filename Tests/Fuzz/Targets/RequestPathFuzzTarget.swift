import BinaryCoding
import CustomerServer
import Foundation
import Glibc
import ServiceLog
@_spi(Fuzzing) import RPCTransport
import RPCCore
import RPCServing

/// Fuzz target (c): the whole request path in process. A real customerd (`CustomerServerApp`: its
/// router, identity, permission checks, handlers and store) on a temporary SQLite database and a
/// Unix socket; each input is one call on one kept-open connection, as the fuzzing process's user,
/// an administrator, so every handler is reachable.
///
/// Input: one byte choosing the method (the server's customer methods, sorted, then health,
/// reflection's two and server information), then the request
/// message. The call must end with a STATUS; a crash, a hang or a dropped connection is a finding.
final class RequestPathFuzzTarget: @unchecked Sendable {   // the connection and its buffer are only touched under `lock`
    let methods: [String]
    private let lock = NSLock()
    private var state: (app: CustomerServerApp, socketPath: String)?
    private var connection: FuzzCallConnection?

    private init(app: CustomerServerApp, socketPath: String) {
        // Backup writes folders at any absolute path its request names: fuzzed paths would litter the
        // fuzzing machine (and the administrator it calls as may write anywhere its user can).
        methods = app.methodRequirements.keys.sorted().filter { $0 != "customer.v1.MaintenanceService/Backup" }
            + Self.builtinMethods
        state = (app, socketPath)
    }

    /// The services every server offers besides the customer API's (no permission asked): after the
    /// customer methods, so the selectors of those stay as they were.
    static let builtinMethods = [RPCHealth.Check.descriptor.fullName, RPCReflection.ListServices.descriptor.fullName,
                                 RPCReflection.DescribeServices.descriptor.fullName, RPCServerInfo.GetServerInfo.descriptor.fullName]

    /// The started server, once per process (started on first use).
    /// The server's database and socket; removed when the process exits.
    static let directory = "/tmp/cc-fuzz-\(getpid())"

    static let server: RequestPathFuzzTarget = {
        do {
            let configuration = try CustomerServerConfiguration.fuzzing(
                in: directory, socketName: "customerd.sock", administrator: .init(uid: getuid(), name: "fuzzer"))
            atexit { try? FileManager.default.removeItem(atPath: RequestPathFuzzTarget.directory) }
            let app = try CustomerServerApp(configuration: configuration, logger: Logger(label: "fuzz", level: .critical))
            try app.start()
            return RequestPathFuzzTarget(app: app, socketPath: configuration.socketPath)
        } catch {
            fatalError("cannot start the server to fuzz: \(error)")
        }
    }()

    static func run(_ input: UnsafeRawBufferPointer) {
        _ = server.call(input)
    }

    /// The input that calls `method` (a full name) with `message`.
    static func input(method: String, message: [UInt8]) -> [UInt8] {
        let index = server.methods.firstIndex(of: method) ?? 0
        return [UInt8(truncatingIfNeeded: index)] + message
    }

    /// A request of each built-in method: the whole server, a service it has and one it lacks;
    /// every service described, two and an unknown one, a name of 2 000 bytes.
    static func builtinSeeds() -> [[UInt8]] {
        let encoder = BinaryEncoder()
        let messages: [(String, (any Encodable)?)] = [
            (RPCHealth.Check.descriptor.fullName, HealthCheckRequest(service: "")),
            (RPCHealth.Check.descriptor.fullName, HealthCheckRequest(service: "customer.v1.CustomerService")),
            (RPCHealth.Check.descriptor.fullName, HealthCheckRequest(service: "no.such.Service")),
            (RPCReflection.ListServices.descriptor.fullName, ListServicesRequest()),
            (RPCReflection.DescribeServices.descriptor.fullName, DescribeServicesRequest()),
            (RPCReflection.DescribeServices.descriptor.fullName,
             DescribeServicesRequest(services: ["customer.v1.CustomerService", "rpc.health.v1.Health", "x"])),
            (RPCReflection.DescribeServices.descriptor.fullName, DescribeServicesRequest(services: [String(repeating: "a.", count: 1_000)])),
            (RPCServerInfo.GetServerInfo.descriptor.fullName, ServerInfoRequest()),
        ]
        return messages.map { method, message in
            input(method: method, message: message.flatMap { try? encoder.encode($0) } ?? [])
        }
    }

    /// Makes the call; returns its status code (nil for an empty input).
    func call(_ input: UnsafeRawBufferPointer) -> UInt8? {
        guard let selector = input.first, !methods.isEmpty else { return nil }
        let method = methods[Int(selector) % methods.count]
        lock.lock()
        defer { lock.unlock() }
        if connection == nil || connection?.isWorn == true { connect() }
        guard let status = connection?.call(method: method, message: input.dropFirst(),
                                                  timeoutMicroseconds: FuzzCallConnection.timeoutMicroseconds(for: method)) else {
            fatalError("\(method): the server closed the connection instead of answering")
        }
        return status.code.rawValue
    }

    private func connect() {
        connection?.close()
        connection = nil
        guard let socketPath = state?.socketPath else { fatalError("the server is not started") }
        do {
            connection = try FuzzCallConnection(stream: UnixSocket.connect(to: socketPath))
        } catch {
            fatalError("cannot connect to \(socketPath): \(error)")
        }
    }
}

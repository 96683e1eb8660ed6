import BusinessRegistry
import CustomerServer
import Foundation
import Glibc
import ServiceLog
@_spi(Fuzzing) import RPCTransport
import RPCServing

/// Fuzz target (c): the whole request path in process. A real customerd (`CustomerServerApp`: its
/// router, identity, permission checks, handlers and store) on a temporary SQLite database and a
/// Unix socket; each input is one call on one kept-open connection, as the fuzzing process's user,
/// an administrator, so every handler is reachable.
///
/// Input: one byte choosing the method (the server's customer methods, sorted), then the request
/// message. The call must end with a STATUS; a crash, a hang or a dropped connection is a finding.
final class RequestPathFuzzTarget: @unchecked Sendable {   // the connection and its buffer are only touched under `lock`
    let methods: [String]
    private let lock = NSLock()
    private var state: (app: CustomerServerApp, socketPath: String)?
    private var connection: Int32 = -1
    private var nextStreamID: UInt32 = 1
    private var buffer: [UInt8] = []

    private init(app: CustomerServerApp, socketPath: String) {
        methods = app.methodRequirements.keys.sorted()
        state = (app, socketPath)
    }

    /// The started server, once per process (started on first use).
    /// The server's database and socket; removed when the process exits.
    static let directory = "/tmp/cc-fuzz-\(getpid())"

    static let server: RequestPathFuzzTarget = {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            atexit { try? FileManager.default.removeItem(atPath: RequestPathFuzzTarget.directory) }
            var configuration = CustomerServerConfiguration(socketPath: directory + "/customerd.sock",
                                                            databasePath: directory + "/customers.sqlite")
            configuration.initialAdministrators = [.init(uid: getuid(), name: "fuzzer")]
            // Nothing leaves the machine: the registries are a closed local port.
            let closed = URL(string: "http://127.0.0.1:9/")
            configuration.registries = RegistryDirectory(baseURLs: ["FI": closed, "NO": closed].compactMapValues { $0 },
                                                         timeout: .seconds(1))
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

    /// Makes the call; returns its status code (nil for an empty input).
    func call(_ input: UnsafeRawBufferPointer) -> UInt8? {
        guard let selector = input.first, !methods.isEmpty else { return nil }
        let method = methods[Int(selector) % methods.count]
        lock.lock()
        defer { lock.unlock() }
        if connection < 0 || nextStreamID > 1 << 30 { connect() }
        let streamID = nextStreamID
        nextStreamID += 1
        writeAll(WireFuzzing.callStart(method: method, message: input.dropFirst(), streamID: streamID,
                                       timeoutMicroseconds: 30_000_000))
        guard let code = awaitStatus(streamID: streamID) else {
            fatalError("\(method): the server closed the connection instead of answering")
        }
        return code
    }

    private func connect() {
        if connection >= 0 { close(connection) }
        buffer = []
        guard let socketPath = state?.socketPath else { fatalError("the server is not started") }
        connection = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            path.copyBytes(from: socketPath.utf8.prefix(path.count - 1))
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(connection, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else { fatalError("cannot connect to \(socketPath): errno \(errno)") }
        nextStreamID = 1
        writeAll(WireFuzzing.clientPreamble())
    }

    private func writeAll(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { fatalError("cannot write to the server: errno \(errno)") }
            offset += written
        }
    }

    /// Reads frames (10-byte header: length u32, type, flags, stream u32; PROTOCOL.md) until the
    /// STATUS of `streamID`, returning its code; nil when the connection ends first. Stream messages
    /// get their credit back.
    private func awaitStatus(streamID: UInt32) -> UInt8? {
        while true {
            while buffer.count >= 10 {
                let length = buffer[0..<4].reduce(0) { $0 << 8 | Int($1) }
                guard buffer.count >= 10 + length else { break }
                let type = buffer[4]
                let stream = buffer[6..<10].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                let code = length > 0 ? buffer[10] : 0xff
                buffer.removeFirst(10 + length)
                switch type {
                case 0x04 where stream == streamID: return code
                case 0x03: writeAll(WireFuzzing.windowUpdate(streamID: stream, increment: UInt32(10 + length)))
                case 0x09:
                    close(connection)
                    connection = -1
                    return nil
                default: break
                }
            }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                close(connection)
                connection = -1
                return nil
            }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }
}

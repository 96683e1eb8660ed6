import BinaryCoding
import CustomerAPI
import CustomerServer
import Foundation
import Glibc
import RPCCore
import RPCTransport
import ServiceLog

/// Fuzz target (f): every handler as every kind of caller. A real customerd (`CustomerServerApp`)
/// on a temporary SQLite file, seeded with customers and a user per profile, serves in-process
/// connections whose peer uid is the caller the input chooses; the request is decoded, identified,
/// permission-checked and handled exactly as on the socket.
///
/// Input: one byte choosing the method (the server's customer methods, sorted), one choosing the
/// caller (low 3 bits: `Role`) and whether the call carries an idempotency key (bit 3), then the
/// request message. Findings: a trap, a hang, a dropped connection, a status no refusal is
/// documented with (`UNKNOWN`, `INTERNAL`, `DATA_LOSS`: PROTOCOL.md section 6), or a database
/// whose quick_check fails afterwards (checked every `integrityCheckInterval` inputs).
final class HandlerFuzzTarget: @unchecked Sendable {   // `connections` and `inputsRun` are only touched under `lock`
    /// Who calls: the seeded users (uids from `firstUID`) and two who are no active user.
    enum Role: Int, CaseIterable {
        case administrator, sales, consultant, readOnly, deactivated, stranger, trustedService, serviceActingForReadOnly

        /// The user's name and profile, added at start; nil for the stranger (no user at all).
        var user: (name: String, profile: String)? {
            switch self {
            case .administrator: nil   // the store's initial administrator
            case .sales: ("sally", "Sales")
            case .consultant: ("connie", "Consultant")
            case .readOnly: ("rita", "Read only")
            case .deactivated: ("dave", "Sales")
            case .stranger: nil
            case .trustedService, .serviceActingForReadOnly: ("robot", "Consultant")
            }
        }

        var uid: UInt32 {
            switch self {
            case .serviceActingForReadOnly: HandlerFuzzTarget.firstUID + UInt32(Role.trustedService.rawValue)
            default: HandlerFuzzTarget.firstUID + UInt32(rawValue)
            }
        }
    }

    static let firstUID: UInt32 = 7100
    static let integrityCheckInterval = 64
    /// A refusal no method documents: the handler met a cause it did not expect (PROTOCOL.md 6).
    static let undocumented: Set<StatusCode> = [.unknown, .internalError, .dataLoss]

    let methods: [String]
    private let app: CustomerServerApp
    private let lock = NSLock()
    private var connections: [Role: FuzzCallConnection] = [:]
    private var inputsRun = 0

    private init(app: CustomerServerApp) {
        // Backup writes folders at any absolute path its request names: fuzzed paths would litter
        // the machine (as the `requests` target, which calls Backup neither).
        methods = app.methodRequirements.keys.sorted().filter { $0 != MaintenanceService.backup.descriptor.fullName }
        self.app = app
    }

    /// The server's database; removed when the process exits.
    static let directory = "/tmp/cc-fuzz-handlers-\(getpid())"

    /// The seeded server, once per process (started on first use).
    static let server: HandlerFuzzTarget = {
        atexit { try? FileManager.default.removeItem(atPath: HandlerFuzzTarget.directory) }
        return seeded(in: directory)
    }()

    /// A server on a database of its own in `directory`, seeded
    /// with the users of every role, customers and records; the `streams` target has one too, so
    /// that what it checks of the store is not moved by this target's inputs.
    static func seeded(in directory: String) -> HandlerFuzzTarget {
        do {
            let configuration = try CustomerServerConfiguration.fuzzing(
                in: directory, socketName: "never-created.sock", administrator: .init(uid: Role.administrator.uid, name: "boss"))
            let target = HandlerFuzzTarget(app: try CustomerServerApp(
                configuration: configuration, logger: Logger(label: "fuzz-handlers", level: .critical)))
            try target.seed()
            return target
        } catch {
            fatalError("cannot start the server to fuzz: \(error)")
        }
    }

    static func run(_ input: UnsafeRawBufferPointer) {
        _ = server.call(input)
    }

    /// The input that calls `method` (a full name) as `role` with `message`.
    static func input(method: String, role: Role, idempotencyKey: Bool = false, message: [UInt8]) -> [UInt8] {
        let index = server.methods.firstIndex(of: method) ?? 0
        return [UInt8(truncatingIfNeeded: index), UInt8(role.rawValue) | (idempotencyKey ? 8 : 0)] + message
    }

    /// Makes the call the input describes; returns its status (nil for an input too short to name
    /// a call). Traps on a finding, so that libFuzzer keeps the input.
    func call(_ input: UnsafeRawBufferPointer) -> RPCError? {
        guard input.count >= 2, !methods.isEmpty else { return nil }
        let method = methods[Int(input[0]) % methods.count]
        let role = Role(rawValue: Int(input[1] & 7)) ?? .administrator
        var metadata: [(String, String)] = []
        if role == .serviceActingForReadOnly { metadata.append((ActingFor.metadataKey, "rita")) }
        if input[1] & 8 != 0 { metadata.append((IdempotencyKey.metadataKey, "fuzz-\(input[1] >> 4)")) }
        lock.lock()
        defer { lock.unlock() }
        guard let status = call(method, as: role, message: input.dropFirst(2), metadata: metadata) else {
            fatalError("\(method) as \(role): the server closed the connection instead of answering")
        }
        if Self.undocumented.contains(status.code) {
            fatalError("\(method) as \(role): undocumented refusal \(status.code): \(status.message)")
        }
        inputsRun += 1
        if inputsRun % Self.integrityCheckInterval == 0 { requireIntactStore() }
        return status
    }

    /// SQLite's quick_check of the server's database; throws what it found.
    func checkIntegrity() throws {
        try app.checkStoreIntegrity()
    }

    /// Traps when SQLite's quick_check finds the database damaged.
    private func requireIntactStore() {
        do {
            try checkIntegrity()
        } catch {
            fatalError("the database is damaged after \(inputsRun) inputs: \(error)")
        }
    }

    /// One call on `role`'s connection (opened on first use); under `lock`.
    private func call(_ method: String, as role: Role, message: some Sequence<UInt8>,
                      metadata: [(String, String)] = []) -> RPCError? {
        if connections[role]?.isWorn == true { connections.removeValue(forKey: role)?.close() }
        var connection = connections[role] ?? open(as: role)
        let status = connection.call(method: method, message: message, metadata: metadata,
                                     timeoutMicroseconds: FuzzCallConnection.timeoutMicroseconds(for: method))
        connections[role] = connection
        return status
    }

    /// A new in-process connection whose peer is `role`'s uid.
    func open(as role: Role) -> FuzzCallConnection {
        let caller = PeerCredentials(uid: role.uid, gid: role.uid, pid: Int32(bitPattern: role.uid))
        let me = PeerCredentials(uid: getuid(), gid: getgid(), pid: getpid())
        let (client, server) = InProcessStream.pair(clientCredentials: caller, serverCredentials: me)
        app.serve(connection: server)
        do {
            return try FuzzCallConnection(stream: client)
        } catch {
            fatalError("cannot open an in-process connection: \(error)")
        }
    }

    /// The users (one per role), a few customers of different account managers, and the records
    /// of the valid seed requests (a project, a task, an event, an invoice) on customer 1. Runs
    /// before the target is shared, so without `lock`.
    private func seed() throws {
        func administer<T: Encodable>(_ method: MethodDescriptor, _ request: T) throws {
            let message = try BinaryEncoder().encode(request)
            let status = call(method.fullName, as: .administrator, message: message)
            guard status?.code == .ok else {
                throw RPCError(.internalError, "seeding \(method.fullName): \(String(describing: status))")
            }
        }
        for role in Role.allCases where role != .serviceActingForReadOnly {
            guard let user = role.user else { continue }
            try administer(UserService.addUser.descriptor, AddUserRequest(uid: role.uid, name: user.name, profile: user.profile))
        }
        try administer(UserService.setTrustedService.descriptor, SetTrustedServiceRequest(user: "robot", trusted: true))
        try administer(UserService.deactivateUser.descriptor, UserNameRequest(user: "dave"))
        for (index, manager) in ["boss", "sally", "connie", "rita"].enumerated() {
            try administer(CustomerService.createCustomer.descriptor, CreateCustomerRequest(fields: CustomerFields(
                number: Int64(2001 + index), name: "Seeded \(index) Oy", accountManager: manager, country: "FI")))
        }
        for request in FuzzSeeds.requests() {
            _ = call(request.method.fullName, as: .administrator, message: request.message)
        }
    }
}

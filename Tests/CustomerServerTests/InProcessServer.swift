import TestSupport
import CustomerClient
import CustomerServer
import Foundation
import Glibc
import RPCCore
import RPCTransport
import ServiceLog
import Synchronization

/// The real CustomerServerApp on a real SQLite file in a fresh temporary directory, called
/// through in-process pairs: each client is whoever the test says (its uid becomes the peer
/// credentials the server reads), and no socket file is ever created.
final class InProcessServer: Sendable {
    /// The administrator the store is created with.
    static let bossUID: UInt32 = 6001
    static let boss = "boss"

    let directory: URL
    let app: CustomerServerApp
    private let clients = Mutex<[CustomerClient]>([])

    private init(directory: URL, app: CustomerServerApp) {
        self.directory = directory
        self.app = app
    }

    /// Opens (and migrates) the store on a thread of its own: opening a database blocks.
    static func start() async throws -> InProcessServer {
        try await ThreadLauncher.run {
            Result { () throws -> InProcessServer in
                let directory = URL(fileURLWithPath: NSTemporaryDirectory())
                    .appendingPathComponent("cc-inproc-\(UUID().uuidString.prefix(8))")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                var configuration = CustomerServerConfiguration(
                    socketPath: directory.appendingPathComponent("never-created.sock").path,
                    databasePath: directory.appendingPathComponent("customers.sqlite").path)
                configuration.initialAdministrators = [.init(uid: bossUID, name: boss)]
                let app = try CustomerServerApp(configuration: configuration,
                                                logger: Logger(label: "inproc-customerd", level: .error))
                return InProcessServer(directory: directory, app: app)
            }
        }.get()
    }

    /// A client whose every connection reaches the server as the OS user `uid`.
    func client(uid: UInt32) -> CustomerClient {
        let caller = PeerCredentials(uid: uid, gid: uid, pid: Int32(bitPattern: uid))
        let me = PeerCredentials(uid: getuid(), gid: getgid(), pid: getpid())
        let channel = ClientChannel(name: "in-process customerd") { [app] () throws(IOError) -> any ByteStream in
            let (client, server) = InProcessStream.pair(clientCredentials: caller, serverCredentials: me)
            app.serve(connection: server)
            return client
        }
        let client = CustomerClient(channel: channel)
        clients.withLock { $0.append(client) }
        return client
    }

    /// Closes every client, then stops the server and removes the directory, off the pool
    /// (a graceful stop waits).
    func stop() async {
        for client in clients.withLock({ $0 }) { client.close() }
        await ThreadLauncher.run { [self] in
            app.shutdown()
            try? FileManager.default.removeItem(at: directory)
        }
    }
}

/// Runs `body` against a fresh server and stops it afterwards, also when `body` throws. A body still
/// running after `testBodyLimit` fails the test, naming it (`test`): the server is shut down, which
/// ends every call and stream still waiting on it.
func withInProcessServer(test: String = #function, _ body: (InProcessServer) async throws -> Void) async throws {
    let server = try await InProcessServer.start()
    do {
        try await withTimeLimit("\(test): calls to the in-process server", expire: { [app = server.app] in app.shutdown() }) {
            try await body(server)
        }
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

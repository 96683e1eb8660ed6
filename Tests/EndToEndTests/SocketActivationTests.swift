import CommandLineKit
import CustomerClient
import Foundation
import Glibc
import TestSupport
import Testing

/// customerd under a service manager: it serves the socket it is handed (systemd socket
/// activation) and reports readiness and stopping over NOTIFY_SOCKET, checked against a real
/// customerd started the way systemd starts it.
@Suite struct SocketActivationTests {
    @Test func itServesTheInheritedSocketReportsReadyThenStoppingAndLeavesTheSocketFile() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let socketPath = root.path + "/activated.sock"
        let listener = try FakeServiceManager.listeningSocket(at: socketPath)
        defer { close(listener) }
        // An abstract notify address, as systemd's own (/run/systemd/notify) is not.
        let manager = try FakeServiceManager(notifyAddress: "@cc-notify-\(UUID().uuidString.prefix(12))")
        // --socket names a path customerd would create without activation: it must not.
        let ownSocket = root.path + "/own.sock"
        let daemon = try manager.start(["--socket", ownSocket, "--database", root.path + "/customers.sqlite",
                                        "--log-level", "error"], passing: [listener])
        defer { daemon.killInBackground() }

        let ready = try await manager.waitFor("READY=1")
        #expect(ready.last?.contains("MAINPID=\(daemon.pid)\n") == true, "\(ready)")
        #expect(ready.last?.contains("STATUS=Serving on \(socketPath)\n") == true, "\(ready)")

        let client = CustomerClient(socketPath: socketPath)
        defer { client.close() }
        let created = try await client.customers.create(CustomerFields(name: "Activated Oy"))
        #expect(try await client.customers.get(id: created.id).name == "Activated Oy")
        #expect(!FileManager.default.fileExists(atPath: ownSocket))

        daemon.terminate(SIGTERM)
        let stopping = try await manager.waitFor("STOPPING=1")
        #expect(stopping.last?.contains("STATUS=Stopping (SIGTERM)") == true, "\(stopping)")
        #expect(try await daemon.exitStatus("customerd to exit") == 0)
        // The socket file is the service manager's: still there, still bound to its listener.
        var info = stat()
        #expect(lstat(socketPath, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK)
    }

    /// A descriptor 3 customerd cannot serve, the message that names it, and how it was made.
    struct Refusal: Sendable, CustomTestStringConvertible {
        let message: String
        /// LISTEN_FDS when it is not the number of descriptors made.
        var listenFDs: String?
        let make: @Sendable (_ directory: String) throws -> [Int32]
        var testDescription: String { message }
    }

    static let refusals: [Refusal] = [
        Refusal(message: "the inherited file descriptor 3 is a regular file, not a socket") { directory in
            [open(directory + "/file", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)]
        },
        Refusal(message: "the inherited file descriptor 3 is a Unix datagram socket, not a stream socket (SOCK_STREAM)") { directory in
            [try FakeServiceManager.socket(type: SOCK_DGRAM, boundTo: directory + "/dgram.sock", listening: false)]
        },
        Refusal(message: "the inherited file descriptor 3 is a Unix stream socket that is not listening") { directory in
            [try FakeServiceManager.socket(type: SOCK_STREAM, boundTo: directory + "/idle.sock", listening: false)]
        },
        Refusal(message: "the inherited file descriptor 3 is an IP socket, not a Unix domain socket (AF_UNIX)") { _ in
            [socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)]
        },
        // Nothing passed: customerd's own first descriptor (the registries' URLSession makes a socket
        // pair) was judged as the inherited socket, "a Unix stream socket that is not listening" (redteam26).
        Refusal(message: "the inherited file descriptor 3 is not open", listenFDs: "1") { _ in [] },
        Refusal(message: "the service manager passed 2 sockets (LISTEN_FDS=2, LISTEN_FDNAMES=customerd.socket:customerd.socket); "
                + "customerd serves exactly one") { directory in
            [try FakeServiceManager.listeningSocket(at: directory + "/one.sock"),
             try FakeServiceManager.listeningSocket(at: directory + "/two.sock")]
        },
    ]

    @Test(arguments: refusals)
    func anInheritedDescriptorItCannotServeIsRefusedBeforeTheDatabaseIsTouched(_ refusal: Refusal) async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let descriptors = try refusal.make(root.path)
        defer { for descriptor in descriptors { close(descriptor) } }
        #expect(descriptors.allSatisfy { $0 >= 0 })
        let manager = try FakeServiceManager(notifyAddress: root.path + "/notify.sock")
        let database = root.path + "/customers.sqlite"
        let errors = open(root.path + "/stderr", O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        let daemon = try manager.start(["--database", database, "--socket", root.path + "/own.sock"],
                                       passing: descriptors, listenFDs: refusal.listenFDs, standardError: errors)
        close(errors)
        let status = try await daemon.exitStatus("customerd to exit")
        let stderr = (try? String(contentsOfFile: root.path + "/stderr", encoding: .utf8)) ?? ""

        #expect(status == 1, "\(stderr)")
        #expect(stderr.contains("failed to start: \(refusal.message)"), "\(stderr)")
        let failed = try await manager.waitFor("STATUS=Failed to start: " + stderrLine(containing: refusal.message, in: stderr))
        #expect(!(failed.joined().contains("READY=1")))
        #expect(!FileManager.default.fileExists(atPath: database))
        #expect(!FileManager.default.fileExists(atPath: root.path + "/own.sock"))
    }

    /// The refusal's whole message as customerd logged it (the case holds its start).
    private func stderrLine(containing start: String, in stderr: String) -> String {
        guard let range = stderr.range(of: start) else { return start }
        return String(stderr[range.lowerBound...].prefix { $0 != "\n" })
    }

    @Test func helpExplainsSocketActivationAndReadiness() async throws {
        let help = try await runProduct("customerd", ["--help"])
        #expect(help.status == 0)
        for text in ["SOCKET ACTIVATION", "LISTEN_FDS=1", "LISTEN_PID", "NOTIFY_SOCKET", "READY=1", "STOPPING=1", "contrib/systemd"] {
            #expect(help.stdout.contains(text), "\(text)")
        }
    }

    @Test func socketsMeantForAnotherProcessAreLeftAloneAndItCreatesItsOwnSocket() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let inherited = root.path + "/inherited.sock"
        let listener = try FakeServiceManager.listeningSocket(at: inherited)
        defer { close(listener) }
        let manager = try FakeServiceManager(notifyAddress: root.path + "/notify.sock")
        let ownSocket = root.path + "/own.sock"
        // LISTEN_PID of another process: the variables leaked to customerd from somewhere else.
        let daemon = try manager.start(["--socket", ownSocket, "--database", root.path + "/customers.sqlite",
                                        "--log-level", "warning"], passing: [listener], listenPID: String(getpid()))
        defer { daemon.killInBackground() }
        let ready = try await manager.waitFor("READY=1")
        #expect(ready.last?.contains("STATUS=Serving on \(ownSocket)\n") == true, "\(ready)")
        let client = CustomerClient(socketPath: ownSocket)
        defer { client.close() }
        #expect(try await client.server.health() == .serving)
    }
}

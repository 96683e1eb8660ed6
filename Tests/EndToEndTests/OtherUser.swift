import CommandLineKit
import CustomerClient
import Foundation
import Glibc
import TestSupport
import Testing

/// Runs the built tools as another OS user through setpriv(1) (util-linux): only root can, so
/// the tests that need it are skipped, saying why, for anyone else.
enum OtherUser {
    static let isPossible = getuid() == 0 && FileManager.default.isExecutableFile(atPath: setpriv)
    static let skipReason: Comment = "needs root and /usr/bin/setpriv (util-linux) to act as a second OS user"
    static let setpriv = "/usr/bin/setpriv"

    /// Runs product `name` as `uid`/`gid` with no supplementary groups.
    static func run(uid: UInt32, gid: UInt32, _ name: String, _ arguments: [String]) async throws -> ProcessResult {
        let executable = try Products.url(of: name).path
        return try await runExecutable(setpriv, ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", executable] + arguments)
    }

    /// Runs `body` against a customerd whose socket (mode 0660, group `users`) other OS users in that
    /// group can reach through a directory they may only pass through; `admin` is this process's
    /// client. The daemon is killed and the directory removed afterwards.
    static func withSharedDaemon(arguments: [String] = [],
                                 _ body: (_ socket: String, _ group: gid_t, _ admin: CustomerClient) async throws -> Void)
        async throws
    {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        // The test's own directory must let the other user through to the socket's.
        #expect(chmod(root.path, 0o711) == 0)
        // An existing group (customerd checks the name) that neither test user belongs to otherwise.
        let group = try #require(getgrnam("users")?.pointee.gr_gid, "no group 'users' on this machine")
        let socket = root.path + "/run/d.sock"
        let daemon = try startDaemon(socket: socket, database: root.path + "/c.sqlite",
                                     arguments: ["--socket-mode", "0660", "--socket-group", "users"] + arguments)
        defer { daemon.killInBackground() }
        let admin = CustomerClient(socketPath: socket)
        defer { admin.close() }
        try await waitUntilServing(admin)
        try await body(socket, group, admin)
    }
}

/// Runs customerd with `arguments` (after `--log-level warning`) expecting it to refuse to start:
/// one that starts anyway is killed after `testWaitLimit`, so the test fails instead of hanging.
/// `prefix`: run it through another program (setpriv, a shell), whose own arguments come first.
func refusedStart(_ arguments: [String], through prefix: (executable: String, arguments: [String])? = nil) async throws -> ProcessResult {
    let customerd = try Products.url(of: "customerd").path
    let (executable, all) = prefix.map { ($0.executable, $0.arguments + [customerd] + arguments + ["--log-level", "warning"]) }
        ?? (customerd, arguments + ["--log-level", "warning"])
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("cc-refused-\(UUID().uuidString)").path
    let descriptor = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    defer { unlink(output) }
    let child: ChildProcess
    do {
        child = try ChildProcess.spawn(executable, all, standardOutput: descriptor, standardError: descriptor)
    } catch {
        close(descriptor)
        throw error
    }
    close(descriptor)
    let status = try await child.exitStatus("customerd to refuse to start")
    let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    return ProcessResult(status: status, stdout: "", stderr: text)
}

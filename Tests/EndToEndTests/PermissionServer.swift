import TestSupport
import CustomerClient
import CustomerServer
import CustomerStore
import Foundation
import ServiceLog
import Synchronization

extension LogCapture {
    /// A capture at notice level, where refusals are logged.
    static func refusalLog() -> LogCapture { LogCapture(label: "test-customerd", level: .notice) }

    /// The refusals logged so far.
    var refusals: [String] { all.filter { $0.contains("permission denied") } }
}

/// A real server on a seeded database (see `PermissionSeeder`) where this process's uid is the
/// user `tester` with one permission profile.
final class PermissionServer: Sendable {
    let server: TestServer
    let client: CustomerClient
    let seed: PermissionSeed
    let log = LogCapture.refusalLog()
    /// Snapshots are read beside the server (WAL lets a reader in while the server writes).
    private let databasePath: String

    init(profile: String, trusted: Bool = false,
         configure: (inout CustomerServerConfiguration) -> Void = { _ in }) throws {
        let directory = try TestServer.makeTemporaryDirectory()
        let databasePath = directory.appendingPathComponent("customers.sqlite").path
        seed = try PermissionSeeder.seed(databasePath: databasePath, profile: profile, trusted: trusted)
        self.databasePath = databasePath
        server = try TestServer(
            directory: directory,
            administrators: [CustomerServerConfiguration.InitialUser(uid: seed.bossUID, name: PermissionSeed.boss)],
            logger: log.logger, configure: configure)
        client = server.client()
    }

    /// Every row of every table, now.
    func snapshot() throws -> StoreSnapshot {
        try StoreSnapshot.read(databasePath: databasePath)
    }

    func stop() {
        client.close()
        server.stop()
    }
}

/// Runs `body` against a fresh seeded server where this process has `profile`, and stops it afterwards.
/// A body still running after `testBodyLimit` fails the test, naming it (`TestServer.withTimeLimit`).
func withPermissionServer<T>(
    profile: String, trusted: Bool = false, test: String = #function,
    configure: @escaping @Sendable (inout CustomerServerConfiguration) -> Void = { _ in },
    _ body: (PermissionServer) async throws -> T
) async throws -> T {
    try await withOffPool(start: { try PermissionServer(profile: profile, trusted: trusted, configure: configure) },
                          stop: { $0.stop() }) { fixture in
        try await fixture.server.withTimeLimit(test) { try await body(fixture) }
    }
}

/// The error a call failed with, or nil when it succeeded.
func outcome(of call: () async throws -> Void) async -> RPCError? {
    do {
        try await call()
        return nil
    } catch let error as RPCError {
        return error
    } catch {
        return RPCError(.unknown, "\(error)")
    }
}

import CustomerClient
import Foundation
import Glibc
import TestSupport
import Testing

/// customerd opens the store's readers on a thread of its own once it answers, so the first calls
/// after a start do not each open one on their caller's time (docs/PERFORMANCE.md "serve34"): an
/// operator sees the database open five times (the writer and 4 readers) without any call made,
/// and a stop still closes them all, the last one removing the write-ahead log.
@Suite struct ReadersOpenAheadTests {
    @Test func theReadersAreOpenBeforeAnyCallAndClosedAtTheStop() async throws {
        let files = try DaemonFiles()
        defer { files.remove() }
        let daemon = try startDaemon(socket: files.socket, database: files.database)
        let client = CustomerClient(socketPath: files.socket)
        defer { client.close() }
        do {
            try await waitUntilServing(client)   // a health check: it reads nothing from the store
            let pid = daemon.pid
            let path = files.database
            let open = try await withDeadline("customerd to open its readers without a call") {
                while true {
                    let open = Self.descriptors(of: pid, onto: path)
                    if open >= 5 { return open }
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            #expect(open == 5)
        } catch {
            await stopDaemon(daemon)
            throw error
        }
        daemon.terminate()
        #expect(try await daemon.exitStatus("customerd to stop") == 0)
        #expect(!FileManager.default.fileExists(atPath: files.database + "-wal"))
    }

    /// How many of `pid`'s descriptors are open onto the file at `path` (`/proc/PID/fd`).
    static func descriptors(of pid: pid_t, onto path: String) -> Int {
        let directory = "/proc/\(pid)/fd"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\($0)")) == path }.count
    }
}

import CommandLineKit
import CustomerClient
import Foundation
import Glibc
import TestSupport
import Testing

/// customerd started under a descriptor limit below the connections it serves (a shell's
/// `ulimit -n 1024`, below its 1024 connections and the database's files): two local users'
/// connections took every descriptor, and another user's import, upload or backup failed INTERNAL.
/// It raises its soft limit within the hard one, and serves fewer connections when the hard limit
/// leaves no room.
@Suite struct DescriptorLimitTests {
    @Test func aLowSoftLimitIsRaisedForTheConnectionsAndTheDatabase() async throws {
        let hard = try Self.limits(of: getpid()).hard
        let (daemon, client, files) = try await Self.start(under: "ulimit -S -n 256")
        defer { daemon.killInBackground(); client.close(); files.remove() }
        let expected = min(1024 + 256, hard)
        #expect(try Self.limits(of: daemon.pid).soft == expected)
        #expect(try await client.server.info().maxConnections == UInt64(min(1024, expected - 256)))
    }

    @Test func aLowHardLimitServesTheConnectionsThatFit() async throws {
        let (daemon, client, files) = try await Self.start(under: "ulimit -n 300")
        defer { daemon.killInBackground(); client.close(); files.remove() }
        #expect(try Self.limits(of: daemon.pid).soft == 300)
        #expect(try await client.server.info().maxConnections == 225)
        let customer = try await client.customers.create(CustomerFields(name: "Served under a low limit"))
        #expect(try await client.customers.get(id: customer.id).name == "Served under a low limit")
    }

    /// A hard limit of 200 (a container's, a unit's `LimitNOFILE=200`) served one connection when
    /// 256 descriptors were kept for the database whatever the limit; a quarter is kept now, and
    /// the log line says how many connections are served and what limit serves them all.
    @Test func aHardLimitOf200StillServesMostOfIt() async throws {
        let (daemon, client, files) = try await Self.start(under: "ulimit -n 200", logLevel: "warning")
        defer { daemon.killInBackground(); client.close(); files.remove() }
        #expect(try await client.server.info().maxConnections == 150)
        // The streams' id files of all users take at most half the 50 kept (fds24).
        #expect(try await client.server.storeStatus().maxStreamIDFiles == 25)
        let others = (0..<20).map { _ in CustomerClient(socketPath: files.socket) }
        defer { for other in others { other.close() } }
        for (index, other) in others.enumerated() {
            _ = try await other.customers.create(CustomerFields(name: "Connection \(index) Oy"))
        }
        #expect(try await client.customers.list(limit: 100).customers.count == 20)
        let log = try String(contentsOfFile: files.database + ".stderr", encoding: .utf8)
        #expect(log.contains(
            "serving at most 150 connections: the descriptor limit (ulimit -n, systemd's LimitNOFILE=) is 200, "
            + "and 50 of them (a quarter, at least 48, at most 256) are kept for the database and files; "
            + "raise the limit to 1280 to serve 1024"), "\(log)")
    }

    /// The server's soft descriptor limit lowered while it runs (`prlimit --pid`, as an operator or
    /// a tool probing limits would) to what it holds and up to 3 more, so the backup runs out at
    /// each of its files in turn: each attempt `OK` or `RESOURCE_EXHAUSTED` with nothing at its
    /// target, and a backup works once the limit is back (redteam30; before, with one descriptor
    /// free: `INTERNAL` "the store failed", logged as "SQLite error 14 while a backup step into …:
    /// not an error", since a failed step records its error on no connection).
    @Test func aBackupAtTheDescriptorLimitIsResourceExhaustedAndWorksOnceSomeAreFree() async throws {
        let (daemon, client, files) = try await Self.start(under: ":")
        defer { daemon.killInBackground(); client.close(); files.remove() }
        _ = try await client.customers.create(CustomerFields(name: "Backed Up Oy"))
        let previous = try Self.limits(of: daemon.pid)
        var refused = 0
        for free in 0..<4 {
            let target = files.directory.appendingPathComponent("backup-\(free)").path
            // Every descriptor it holds now (its connection to this client included), and `free` more.
            let held = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(daemon.pid)/fd").count
            try await Self.setLimits(of: daemon.pid, soft: held + free, hard: previous.hard)
            do {
                _ = try await client.maintenance.backup(to: target)
            } catch let error as RPCError {
                refused += 1
                #expect(error.code == .resourceExhausted, "\(free) free: \(error)")
                #expect(error.message.contains("no file descriptor free"), "\(free) free: \(error)")
                #expect(!FileManager.default.fileExists(atPath: target))
            }
            try await Self.setLimits(of: daemon.pid, soft: previous.soft, hard: previous.hard)
        }
        #expect(refused > 0)
        let target = files.directory.appendingPathComponent("backup").path
        #expect(try await client.maintenance.backup(to: target).customers == 1)
    }

    /// customerd started by a shell that first runs `limit` (an `ulimit` command), once serving.
    private static func start(under limit: String, logLevel: String = "critical") async throws -> (ChildProcess, CustomerClient, DaemonFiles) {
        let files = try DaemonFiles()
        let daemon = try ChildProcess.spawn("/bin/sh", [
            "-c", "\(limit) && exec \"$0\" \"$@\" 2>\"\(files.database).stderr\"", try Products.url(of: "customerd").path,
            "--socket", files.socket, "--database", files.database, "--log-level", logLevel,
        ])
        let client = CustomerClient(socketPath: files.socket)
        do {
            try await waitUntilServing(client)
        } catch {
            daemon.killInBackground()
            client.close()
            files.remove()
            throw error
        }
        return (daemon, client, files)
    }

    /// Sets a running process's descriptor limits with util-linux's `prlimit --pid`, as an operator
    /// would (Glibc's prlimit(2) wrapper is a GNU extension Swift does not import).
    private static func setLimits(of pid: pid_t, soft: Int, hard: Int) async throws {
        let hardText = hard == Int.max ? "unlimited" : String(hard)
        let result = try await runExecutable("/usr/bin/prlimit", ["--pid", String(pid), "--nofile=\(soft):\(hardText)"])
        try #require(result.status == 0, "prlimit: \(result.stderr)")
    }

    /// The "Max open files" line of /proc/PID/limits, as an operator reads it.
    private static func limits(of pid: pid_t) throws -> (soft: Int, hard: Int) {
        let text = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let numbers = line.split(separator: " ").compactMap { $0 == "unlimited" ? Int.max : Int($0) }
        try #require(numbers.count == 2, "\(line)")
        return (numbers[0], numbers[1])
    }
}

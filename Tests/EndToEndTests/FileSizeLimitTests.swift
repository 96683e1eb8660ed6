import CommandLineKit
import CustomerClient
import Foundation
import Glibc
import TestSupport
import Testing

/// customerd started under a file-size limit (`ulimit -f`, systemd's LimitFSIZE=): the first write
/// past it killed the server with SIGXFSZ. Now that write is refused RESOURCE_EXHAUSTED saying
/// why, reads and the health check go on, and every acknowledged write is there after a restart
/// without the limit.
@Suite struct FileSizeLimitTests {
    @Test func aWritePastTheFileSizeLimitIsRefusedAndTheServerServesOn() async throws {
        let files = try DaemonFiles()
        defer { files.remove() }
        let (socket, database) = (files.socket, files.database)
        let client = CustomerClient(socketPath: socket)
        defer { client.close() }

        // Created and migrated without a limit; a clean stop leaves the write-ahead log empty.
        let creating = try startDaemon(socket: socket, database: database)
        defer { creating.killInBackground() }
        try await waitUntilServing(client)
        var acknowledged = [try await client.customers.create(CustomerFields(name: "Before the limit"))]
        creating.terminate()
        #expect(try await creating.exitStatus("customerd to stop after SIGTERM") == 0)

        // The limit leaves the log 256 KiB to grow into: a few dozen of the writes below.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: database)[.size] as? Int)
        let blocks = (size + 256 * 1024) / 512
        let limited = try ChildProcess.spawn("/bin/sh", [
            "-c", "ulimit -f \(blocks) && exec \"$0\" \"$@\"", try Products.url(of: "customerd").path,
            "--socket", socket, "--database", database, "--log-level", "critical",
        ])
        defer { limited.killInBackground() }
        try await waitUntilServing(client)
        var refusal: RPCError?
        for index in 0..<2_000 where refusal == nil {
            do {
                acknowledged.append(try await client.customers.create(
                    CustomerFields(name: "Under the limit \(index)", description: String(repeating: "x", count: 900))))
            } catch let error as RPCError {
                refusal = error
            }
        }
        #expect(refusal?.code == .resourceExhausted, "\(String(describing: refusal))")
        #expect(refusal?.message.contains("file size limit reached") == true, "\(String(describing: refusal))")
        #expect(limited.isRunning)
        #expect(try await client.server.health() == .serving)
        #expect(try await client.customers.get(id: acknowledged[0].id) == acknowledged[0])
        let again = await #expect(throws: RPCError.self) {
            _ = try await client.customers.create(CustomerFields(name: "Still over the limit", description: String(repeating: "y", count: 900)))
        }
        #expect(again?.code == .resourceExhausted, "\(String(describing: again))")
        limited.terminate()
        #expect(try await limited.exitStatus("customerd under the limit to stop after SIGTERM") == 0)

        let restarted = try startDaemon(socket: socket, database: database)
        defer { restarted.killInBackground() }
        try await waitUntilServing(client)
        for customer in acknowledged {
            #expect(try await client.customers.get(id: customer.id) == customer)
        }
        let after = try await client.customers.create(CustomerFields(name: "After the limit was lifted"))
        #expect(try await client.customers.get(id: after.id).name == "After the limit was lifted")
    }
}

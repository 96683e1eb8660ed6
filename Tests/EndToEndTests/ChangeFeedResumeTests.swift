import CommandLineKit
import CustomerClient
import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing

/// A consumer keeps a copy through the change feed across a kill -9 of the server and its own
/// reconnects, and `customerctl watch` hands over the cursor to resume from on Ctrl-C.
@Suite struct ChangeFeedResumeTests {
    @Test func aConsumerResumesAfterKillNineAndItsCopyEqualsTheDatabase() async throws {
        let files = try DaemonFiles()
        defer { files.remove() }
        let (socket, database) = (files.socket, files.database)
        var daemon = try startDaemon(socket: socket, database: database)
        let client = CustomerClient(socketPath: socket)
        defer { client.close() }
        do {
            try await waitUntilServing(client)

            let consumer = FeedCopy(client: CustomerClient(socketPath: socket))
            let copying = Task { try await consumer.follow(until: "Marker") }
            // A consumer that never sees the marker stops retrying once the test gave up on it.
            defer { copying.cancel() }
            let progress = Steps()
            let writers = (0..<4).map { writer in
                Task {
                    for step in 0..<25 {
                        // Failures while the server is down are expected: the copy must match whatever committed.
                        if let customer = try? await client.customers.create(CustomerFields(name: "W\(writer)-\(step)")) {
                            _ = try? await client.customers.update(id: customer.id, CustomerFields(name: "W\(writer)-\(step) renamed"))
                            if step % 5 == 0 { _ = try? await client.customers.delete(id: customer.id, confirm: true) }
                        }
                        progress.count.add(1, ordering: .relaxed)
                    }
                }
            }
            try await waitUntil("the writers to take 30 steps", every: .milliseconds(10)) {
                progress.count.load(ordering: .relaxed) >= 30
            }
            let killed = daemon
            killed.terminate(SIGKILL)
            #expect(try await killed.exitStatus("customerd to end after SIGKILL") == 128 + SIGKILL)
            daemon = try startDaemon(socket: socket, database: database)
            try await waitUntilServing(client)
            for writer in writers { await writer.value }
            _ = try await client.customers.create(CustomerFields(name: "Marker"))

            let (copy, sequences) = try await withDeadline("the feed consumer to see the marker") { try await copying.value }
            var stored: [Int64: String?] = [:]
            for try await customer in client.customers.stream(CustomerQuery(status: .all)) { stored[customer.id] = customer.name }
            #expect(copy == stored)
            #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 }, "an event came twice or out of order")
        } catch {
            await stopDaemon(daemon)
            throw error
        }
        await stopDaemon(daemon)
    }

    @Test func watchPrintsJSONLinesAndOnCtrlCTheCursorToResumeFrom() async throws {
        try await withServer { server, client in
            let start = try await client.changes.bounds().last
            let created = try await client.customers.create(CustomerFields(name: "Watched on the command line"))
            let output = server.directory.appendingPathComponent("watch.out").path
            let errors = server.directory.appendingPathComponent("watch.err").path
            let out = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o600), err = open(errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            let watch = try ChildProcess.spawn(
                try Products.url(of: "customerctl").path,
                ["--socket", server.socketPath, "watch", "--after", String(start), "--kinds", "customer"],
                standardOutput: out, standardError: err)
            defer { watch.killInBackground() }
            close(out)
            close(err)
            try await waitUntil("customerctl watch to print its first event", every: .milliseconds(20)) {
                ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").contains("\n")
            }
            watch.terminate(SIGINT)
            #expect(try await watch.exitStatus("customerctl watch to end after SIGINT") == 130)
            let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
            let event = try JSONSerialization.jsonObject(with: Data(try #require(lines.first).utf8)) as? [String: Any]
            #expect(event?["entityId"] as? Int == Int(created.id))
            let sequence = try #require(event?["sequence"] as? Int)
            #expect(try String(contentsOfFile: errors, encoding: .utf8) == "\nresume with: customerctl watch --after \(sequence)\n")
        }
    }
}

/// How many steps the writers have taken, across their tasks.
private final class Steps: Sendable {
    let count = Atomic<Int>(0)
}

/// A consumer's copy of the customers' names, kept from the change feed alone.
private struct FeedCopy: Sendable {
    let client: CustomerClient

    /// Follows the feed from the start, reconnecting after the last event it applied whenever the
    /// call fails, until a customer named `marker` is created.
    /// - Returns: the copy and every sequence number applied, in order.
    func follow(until marker: String) async throws -> ([Int64: String?], [Int64]) {
        defer { client.close() }
        var copy: [Int64: String?] = [:], sequences: [Int64] = []
        while true {
            do {
                for try await event in client.changes.watch(after: sequences.last ?? 0, kinds: [.customer]) {
                    sequences.append(event.sequence)
                    if event.tombstone {
                        copy[event.entityId] = nil
                        continue
                    }
                    let name = event.changes.first { $0.field == "name" }
                    if event.action == "created" { copy[event.entityId] = .some(name?.newValue) }
                    if let name, event.action != "created" { copy[event.entityId] = .some(name.newValue) }
                    if event.action == "created", name?.newValue == marker { return (copy, sequences) }
                }
            } catch let error as RPCError where error.code == .unavailable || error.code == .cancelled {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}

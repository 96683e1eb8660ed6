import CustomerClient
import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing

/// The readers shared out by OS user (docs/HARDENING.md): one user flooding them with expensive
/// honest reads costs another user's read at most one such read's wait, not the flood's queue.
@Suite struct ReaderShareTests {
    /// Searches the flooder queues: far more than the server's 4 readers.
    static let searches = 48
    static let victimUID: UInt32 = 4243
    /// Enough that a search is the expensive read (a scan of them all).
    static let customers = 20_000

    /// This process's OS user holds all 4 readers (reads of its own, held by the test) and queues 48
    /// searches that no customer matches (each a scan of all 20 000 customers) behind them; then a
    /// second OS user's get queues, and a third user's read (held by the test too). One reader is
    /// given back: the get goes first, then the third user's read takes the reader and holds it, so
    /// all four are held again; at that moment all 48 searches still wait: no search went before
    /// the other users' reads (before: the reader went to whichever thread woke first, and the get
    /// and the third read came anywhere in the queue). Then every search is answered: the flooder
    /// is not starved.
    @Test func otherUsersReadsGoBeforeTheFloodersQueuedSearches() async throws {
        let directory = try TestServer.makeTemporaryDirectory()
        try await onThread {
            try ScanSeeder.seed(databasePath: directory.appendingPathComponent("customers.sqlite").path, customers: Self.customers)
        }
        try await withTestServer(start: {
            // The flood's searches are slow calls by design: not logged, not this test's subject.
            try TestServer(directory: directory) { $0.rpc.slowCallThreshold = nil }
        }, stop: { $0.stop() }) { server in
            let flooder = server.client()
            defer { flooder.close() }
            _ = try await flooder.users.add(uid: Self.victimUID, name: "victim")
            let victim = server.client(asUID: Self.victimUID)
            defer { victim.close() }
            // Connected and served once before the flood: its get then waits for a reader only.
            #expect(try await victim.customers.get(id: 1).number == 1)

            let gates = (0..<4).map { _ in Gate() }
            let third = Gate()
            // Also when the test fails half-way: a held read would keep its reader until the gate's limit.
            defer { (gates + [third]).forEach { $0.open() } }
            var holders: [ThreadTask<Void>] = []
            for gate in gates {
                holders.append(server.holdReader(as: getuid(), until: gate))
                try await gate.waitUntilHeld()
            }
            let answered = Answered()
            let waitingWhenTheThirdHeld = try await withThrowingTaskGroup(of: Void.self) { tasks in
                for _ in 0..<Self.searches {
                    tasks.addTask {
                        let page = try await flooder.customers.list(CustomerQuery(search: "no customer matches this"), limit: 1)
                        #expect(page.customers.isEmpty)
                        answered.count.add(1, ordering: .relaxed)
                    }
                }
                try await waitUntil("the searches to wait for a reader") { server.threadsWaitingForAReader == Self.searches }
                async let got = victim.customers.get(id: 1)
                try await waitUntil("the get to wait for a reader") { server.threadsWaitingForAReader == Self.searches + 1 }
                holders.append(server.holdReader(as: Self.victimUID + 1, until: third))
                try await waitUntil("the third user's read to wait") { server.threadsWaitingForAReader == Self.searches + 2 }
                gates[0].open()
                try await third.waitUntilHeld()
                // Every reader is held again (three by the flooder, one by the third user): nothing moves.
                let waiting = server.threadsWaitingForAReader
                (gates.dropFirst() + [third]).forEach { $0.open() }
                #expect(try await got.number == 1)
                try await tasks.waitForAll()
                return waiting
            }
            let held = holders
            try await withDeadline("the held reads to end") { for holder in held { try await holder.value } }
            #expect(waitingWhenTheThirdHeld == Self.searches,
                    "searches went before the other users' reads: \(waitingWhenTheThirdHeld) threads still waited, not \(Self.searches)")
            #expect(answered.count.load(ordering: .relaxed) == Self.searches, "the flooder's searches were not all answered")
        }
    }
}

/// How many of the flooder's searches were answered, across their tasks.
private final class Answered: Sendable {
    let count = Atomic<Int>(0)
}

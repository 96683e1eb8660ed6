import CommandLineKit
import CustomerClient
import CustomerServer
import CustomerStore
import Foundation
import Glibc
import TestSupport
import Testing

/// Writes sent with an `idempotency-key` are done once: a retry gets the first answer.
@Suite struct IdempotencyKeyTests {
    func keyed(_ key: String) -> CallOptions {
        var options = CallOptions()
        options.idempotencyKey = key
        return options
    }

    func customerCount(_ client: CustomerClient) async throws -> Int {
        try await client.customers.list(limit: 100).customers.count
    }

    @Test func theSameCreateSentTwiceWithOneKeyMakesOneCustomerAndGetsTheSameAnswer() async throws {
        try await withServer { _, client in
            let fields = CustomerFields(name: "Once Oy", country: "FI")
            let first = try await client.customers.create(fields, options: keyed("create-once-1"))
            let retry = try await client.customers.create(fields, options: keyed("create-once-1"))
            #expect(retry == first)
            #expect(try await customerCount(client) == 1)
            #expect(try await client.history.list(.customer, id: first.id).count == 1)
        }
    }

    @Test func anUpdateSentTwiceWithOneKeyChangesTheVersionOnce() async throws {
        try await withServer { _, client in
            let created = try await client.customers.create(CustomerFields(name: "Versioned"))
            let change = CustomerFields(phone: "+358 40 123 4567")
            let first = try await client.customers.update(id: created.id, change, expectedVersion: 1, options: keyed("u-1"))
            // Without the key this retry would be refused ABORTED: version 1 is stale by now.
            let retry = try await client.customers.update(id: created.id, change, expectedVersion: 1, options: keyed("u-1"))
            #expect(retry == first)
            #expect(try await client.customers.get(id: created.id).version == 2)
        }
    }

    @Test func aDifferentRequestUnderTheSameKeyIsRefusedAndChangesNothing() async throws {
        try await withServer { _, client in
            let first = try await client.customers.create(CustomerFields(name: "First"), options: keyed("shared"))
            let otherFields = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(name: "Second"), options: keyed("shared"))
            }
            #expect(otherFields?.code == .failedPrecondition)
            #expect(otherFields?.details.map(\.field) == ["idempotency-key"])
            let otherMethod = await #expect(throws: RPCError.self) {
                try await client.customers.deactivate(id: first.id, options: keyed("shared"))
            }
            #expect(otherMethod?.code == .failedPrecondition)
            #expect(otherMethod?.message.contains("CreateCustomer") == true)
            #expect(try await customerCount(client) == 1)
            #expect(try await client.customers.get(id: first.id) == first)
        }
    }

    @Test func aRefusedFirstCallLeavesTheKeyFreeForACorrectedRetry() async throws {
        try await withServer { _, client in
            let refused = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(name: "Mail", email: "not-an-address"), options: keyed("fix-1"))
            }
            #expect(refused?.code == .invalidArgument)
            let corrected = try await client.customers.create(
                CustomerFields(name: "Mail", email: "info@example.com"), options: keyed("fix-1"))
            #expect(corrected.email == "info@example.com")
            #expect(try await customerCount(client) == 1)
        }
    }

    @Test(arguments: ["", "has space", "ä-umlaut", String(repeating: "k", count: 129)])
    func aMalformedKeyIsRefusedByNameAndChangesNothing(key: String) async throws {
        try await withServer { _, client in
            var options = CallOptions()
            options.metadata.add("idempotency-key", key)
            let error = await #expect(throws: RPCError.self) {
                try await client.customers.create(CustomerFields(name: "Bad key"), options: options)
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.details.map(\.field) == ["idempotency-key"])
            let count = try await customerCount(client)
            #expect(count == 0)
        }
    }

    @Test func theClientLibrarySendsAKeyWithEveryWriteAndANewOneEachCall() async throws {
        try await withServer { server, client in
            let fields = CustomerFields(name: "Twin")
            let first = try await client.customers.create(fields)
            let second = try await client.customers.create(fields)
            #expect(first.id != second.id)
            _ = try await client.customers.get(id: first.id)
            // One key per write, none for the read.
            // Read beside the running server (which holds the database's lock) without opening a store.
            let snapshot = try await onThread { try StoreSnapshot.read(databasePath: server.databasePath) }
            #expect(snapshot.tables["idempotency_keys"]?.count == 2)
        }
    }

    @Test func duplicatesSentAtOnceOnSeveralConnectionsMakeOneCustomer() async throws {
        try await withServer { server, _ in
            let clients = (0..<4).map { _ in server.client() }
            defer { for client in clients { client.close() } }
            let fields = CustomerFields(name: "Concurrent", country: "SE")
            let options = keyed("at-once")
            let answers = try await withThrowingTaskGroup(of: Customer.self) { group in
                for index in 0..<8 {
                    let client = clients[index % clients.count]
                    group.addTask { try await client.customers.create(fields, options: options) }
                }
                return try await group.reduce(into: [Customer]()) { $0.append($1) }
            }
            #expect(answers.count == 8)
            #expect(Set(answers.map(\.id)).count == 1)
            #expect(answers.allSatisfy { $0 == answers[0] })
            #expect(try await customerCount(clients[0]) == 1)
        }
    }

    @Test func aRetryAfterKillNineGetsTheFirstAnswer() async throws {
        let files = try DaemonFiles()
        defer { files.remove() }
        let (socket, database) = (files.socket, files.database)

        let daemon = try startDaemon(socket: socket, database: database)
        defer { daemon.killInBackground() }
        let client = CustomerClient(socketPath: socket)
        defer { client.close() }
        try await waitUntilServing(client)
        let fields = CustomerFields(name: "Crash-proof", country: "NO")
        let first = try await client.customers.create(fields, options: keyed("after-crash"))
        daemon.terminate(SIGKILL)
        #expect(try await daemon.exitStatus("customerd to exit") == 128 + SIGKILL)

        let (retry, count) = try await withRestartedDaemon(files, client) {
            (try await client.customers.create(fields, options: keyed("after-crash")), try await customerCount(client))
        }
        #expect(retry == first)
        #expect(count == 1)
    }

    @Test func customerctlRetriedWithItsKeyPrintsTheFirstAnswerAndRefusesABadKey() async throws {
        try await withServer { server, client in
            let create = ["--socket", server.socketPath, "--idempotency-key", "script-run-7", "--output", "json",
                          "customers", "create", "--name", "Scripted"]
            let first = try await runProduct("customerctl", create)
            let retry = try await runProduct("customerctl", create)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(retry.stdout == first.stdout)
            #expect(try await customerCount(client) == 1)

            let bad = try await runProduct("customerctl", ["--socket", server.socketPath, "--idempotency-key", "two words",
                                                           "customers", "create", "--name", "Never"])
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("--idempotency-key may contain only"))
            #expect(try await customerCount(client) == 1)
        }
    }

    /// The first answer is stored as its caller saw it; replayed to the same user after losing
    /// Financial figures, it leaves the money out as a new call would.
    @Test func aReplayedAnswerLeavesMoneyOutForACallerWhoHasLostFinancialFigures() async throws {
        try await withServer { server, client in
            let sellerUID: UInt32 = getuid() == 4262 ? 4263 : 4262
            _ = try await client.users.add(uid: sellerUID, name: "seller", profile: "Sales")
            let customer = try await client.customers.create(CustomerFields(name: "Replay Oy", accountManager: "seller"))
            let seller = server.client(asUID: sellerUID)
            defer { seller.close() }
            let total = try #require(Decimal(string: "4242.42"))
            let issue = IssueInvoiceRequest(customerId: customer.id, total: total, currency: "EUR")
            let first = try await seller.invoices.issue(issue, options: keyed("replayed-invoice"))
            #expect(first.total == total && first.moneyHidden == nil)

            _ = try await client.users.setProfile(user: "seller", profile: "Consultant")  // edits own, money hidden
            let replayed = try await seller.invoices.issue(issue, options: keyed("replayed-invoice"))
            #expect(replayed.id == first.id)
            #expect(replayed.total == nil && replayed.moneyHidden == true)
            #expect(try await client.invoices.list(customerID: customer.id).count == 1)
        }
    }

    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                   "needs root and setpriv(1) to call as a second OS user"))
    func twoUsersMayUseTheSameKeyIndependently() async throws {
        let otherUID: UInt32 = 4242
        let server = try await onThread {
            try TestServer { $0.rpc.socketMode = 0o666 }  // The second user must reach the socket.
        }
        let client = server.client()
        defer { client.close() }
        _ = try await client.users.add(uid: otherUID, name: "second-user", isAdministrator: true)
        let mine = try await client.customers.create(CustomerFields(name: "Same"), options: keyed("both-of-us"))

        func createAsOtherUser() async throws -> ProcessResult {
            let customerctl = try Products.url(of: "customerctl").path
            let output = try await ChildProcess.run("/usr/bin/setpriv", [
                "--reuid=\(otherUID)", "--regid=\(otherUID)", "--clear-groups", customerctl, "--socket",
                server.socketPath, "--idempotency-key", "both-of-us", "--output", "json", "customers", "create",
                "--name", "Same",
            ])
            return ProcessResult(status: output.status, stdout: String(decoding: output.standardOutput, as: UTF8.self),
                                 stderr: String(decoding: output.standardError, as: UTF8.self))
        }
        let theirs = try await createAsOtherUser()
        #expect(theirs.status == 0, "\(theirs.stderr)")
        let theirRetry = try await createAsOtherUser()
        #expect(theirRetry.stdout == theirs.stdout)
        let customers = try await client.customers.list(limit: 10).customers
        #expect(customers.count == 2)
        #expect(customers.contains { $0.id == mine.id })
        await onThread { server.stop() }
    }
}

import CustomerClient
import Foundation
import Glibc
import TestSupport
import Testing

/// A full disk is RESOURCE_EXHAUSTED with a message, reads keep working, and writes work again
/// once space is freed. The disk is real: a small tmpfs mounted for the test (root only).
@Suite struct DiskFullTests {
    /// An 8 MiB tmpfs mounted on a fresh directory for each test, or nil when this process may not
    /// mount (not root, or root without CAP_SYS_ADMIN in a container): the tests are then skipped.
    /// Whether this process may mount one (probed once, unmounted at once: a trait of a test that a
    /// filter leaves out is evaluated all the same, so a mount made for it would be left behind).
    static let canMountSmallDisk: Bool = {
        guard let disk = mountSmallDisk() else { return false }
        unmount(disk)
        return true
    }()

    /// A fresh 8 MiB tmpfs of the test's own, or nil.
    static func mountSmallDisk() -> URL? {
        let directory = URL(fileURLWithPath: "/tmp/cc-full-\(UUID().uuidString.prefix(8))")
        guard mkdir(directory.path, 0o755) == 0 else { return nil }
        // mount(2) itself, not mount(8): one system call, no child process to wait for.
        guard mount("tmpfs", directory.path, "tmpfs", 0, "size=8m,mode=0755") == 0 else {
            rmdir(directory.path)
            return nil
        }
        return directory
    }

    static func unmount(_ directory: URL) {
        umount(directory.path)
        rmdir(directory.path)
    }

    /// Writes zeros to `path` until the disk refuses (ENOSPC), then gives `room` bytes back.
    static func fill(_ path: String, leaving room: Int = 0) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let chunk = [UInt8](repeating: 0, count: 4096)
        while chunk.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        #expect(errno == ENOSPC)
        let filled = lseek(descriptor, 0, SEEK_CUR)
        guard ftruncate(descriptor, max(0, filled - off_t(room))) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    @Test(.enabled(if: canMountSmallDisk, "needs to mount a small tmpfs as the full disk (root with CAP_SYS_ADMIN)"))
    func aFullDiskIsResourceExhaustedReadsGoOnAndWritesComeBackWithSpace() async throws {
        let disk = try #require(Self.mountSmallDisk())
        // The mount goes away whatever happens in between.
        do {
            try await Self.checkFullDisk(disk)
        } catch {
            Self.unmount(disk)
            throw error
        }
        Self.unmount(disk)
    }

    static func checkFullDisk(_ disk: URL, test: String = #function) async throws {
        try await withTestServer(test: test, start: { try TestServer(directory: disk) }, stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            try await checkFullDisk(disk, client: client)
        }
    }

    static func checkFullDisk(_ disk: URL, client: CustomerClient) async throws {
        let kept = try await client.customers.create(CustomerFields(name: "Before the disk filled"))
        let customer = kept.id
        try await onThread { try fill(disk.path + "/filler") }

        // The log may still have room from earlier writes, so write until the disk says no.
        var refusal: RPCError?
        for index in 0..<2_000 where refusal == nil {
            do {
                _ = try await client.customers.create(CustomerFields(name: "Filling \(index)", description: String(repeating: "x", count: 900)))
            } catch let error as RPCError {
                refusal = error
            }
        }
        #expect(refusal?.code == .resourceExhausted)
        #expect(refusal?.message.contains("disk is full") == true, "\(String(describing: refusal))")
        #expect(try await client.customers.get(id: customer) == kept)
        #expect(try await client.server.health() == .serving)

        let upload = await #expect(throws: RPCError.self) {
            _ = try await client.files.upload(customerID: customer, name: "big.bin", data: Data(repeating: 1, count: 1_000_000))
        }
        #expect(upload?.code == .resourceExhausted, "\(String(describing: upload))")

        try FileManager.default.removeItem(atPath: disk.path + "/filler")
        let after = try await client.customers.create(CustomerFields(name: "After space was freed"))
        #expect(try await client.customers.get(id: after.id).name == "After space was freed")
        let file = try await client.files.upload(customerID: customer, name: "small.bin", data: Data(repeating: 2, count: 10_000))
        #expect(file.size == 10_000)
    }

    /// Creates sent 64 at a time, on 8 connections, while the disk fills: the groups they are
    /// committed in meet SQLITE_FULL in a statement or at the COMMIT, and such a group is rolled
    /// back whole (`GroupCommitWriter.commitGroup`). What a user checks: every create either
    /// answered and there after a restart, or refused RESOURCE_EXHAUSTED and nowhere; nothing
    /// answered is lost, reads go on, and creates work again once space is freed.
    @Test(.enabled(if: canMountSmallDisk, "needs to mount a small tmpfs as the full disk (root with CAP_SYS_ADMIN)"))
    func concurrentCreatesWhileTheDiskFillsAreEachKeptOrRefusedWhole() async throws {
        let disk = try #require(Self.mountSmallDisk())
        defer { Self.unmount(disk) }
        let acknowledged = try await withTestServer(start: { try TestServer(directory: disk) }, stop: { $0.stopKeepingData() }) { server in
            try await Self.createWhileTheDiskFills(disk, server)
        }
        // After a restart: exactly what was acknowledged, as it was answered.
        try await withTestServer(start: { try TestServer(directory: disk) }, stop: { $0.stopKeepingData() }) { server in
            let client = server.client()
            defer { client.close() }
            var stored: [Int64: Customer] = [:]
            for try await customer in client.customers.stream() { stored[customer.id] = customer }
            #expect(stored.count == acknowledged.count)
            let lost = acknowledged.filter { stored[$0.id] != $0 }
            #expect(lost.isEmpty, "acknowledged but not stored as answered: \(lost.map(\.name))")
        }
    }

    /// Sends rounds of 64 creates until one is refused (and one round more), then frees the space;
    /// answers every customer acknowledged.
    static func createWhileTheDiskFills(_ disk: URL, _ server: TestServer) async throws -> [Customer] {
        let clients = (0..<8).map { _ in server.client() }
        defer { for client in clients { client.close() } }
        let first = try await clients[0].customers.create(CustomerFields(name: "Before the disk filled"))
        // Room for a few rounds, so the disk fills while the creates run.
        try await onThread { try fill(disk.path + "/filler", leaving: 1 << 20) }

        var acknowledged = [first]
        var refusals: [RPCError] = []
        var roundsAfterARefusal = 0
        for round in 0..<200 where roundsAfterARefusal < 2 {
            let outcomes = await withTaskGroup(of: Result<Customer, RPCError>?.self) { group in
                for index in 0..<64 {
                    let client = clients[index % clients.count]
                    group.addTask {
                        let fields = CustomerFields(name: "Round \(round) #\(index)", description: String(repeating: "x", count: 900))
                        do { return .success(try await client.customers.create(fields)) }
                        catch let error as RPCError { return .failure(error) }
                        catch { return nil }
                    }
                }
                return await group.reduce(into: [Result<Customer, RPCError>?]()) { $0.append($1) }
            }
            #expect(!outcomes.contains { $0 == nil }, "a create failed without an RPC status")
            for case let .success(customer)? in outcomes { acknowledged.append(customer) }
            for case let .failure(error)? in outcomes { refusals.append(error) }
            if !refusals.isEmpty { roundsAfterARefusal += 1 }
        }
        #expect(!refusals.isEmpty, "the disk never filled")
        for refusal in refusals {
            #expect(refusal.code == .resourceExhausted && refusal.message.contains("disk is full"), "\(refusal)")
        }
        // The server is up and serves reads of what it acknowledged, and its health says so.
        #expect(try await clients[1].customers.get(id: first.id) == first)
        #expect(try await clients[2].customers.get(id: acknowledged[acknowledged.count - 1].id) == acknowledged[acknowledged.count - 1])
        #expect(try await clients[3].server.health() == .serving)

        try FileManager.default.removeItem(atPath: disk.path + "/filler")
        let after = try await clients[4].customers.create(CustomerFields(name: "After space was freed"))
        return acknowledged + [after]
    }
}

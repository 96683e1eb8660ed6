import CustomerClient
import Foundation
import Glibc
import TestSupport
import Testing

/// A full disk is RESOURCE_EXHAUSTED with a message, reads keep working, and writes work again
/// once space is freed. The disk is real: a small tmpfs mounted for the test (root only).
@Suite struct DiskFullTests {
    /// An 8 MiB tmpfs mounted on a fresh directory for the test, or nil when this process may not
    /// mount (not root, or root without CAP_SYS_ADMIN in a container): the test is then skipped.
    static let smallDisk: URL? = {
        let directory = URL(fileURLWithPath: "/tmp/cc-full-\(UUID().uuidString.prefix(8))")
        guard mkdir(directory.path, 0o755) == 0 else { return nil }
        // mount(2) itself, not mount(8): one system call, no child process to wait for.
        guard mount("tmpfs", directory.path, "tmpfs", 0, "size=8m,mode=0755") == 0 else {
            rmdir(directory.path)
            return nil
        }
        return directory
    }()

    static func unmount(_ directory: URL) {
        umount(directory.path)
        rmdir(directory.path)
    }

    /// Writes zeros to `path` until the disk refuses (ENOSPC).
    static func fill(_ path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let chunk = [UInt8](repeating: 0, count: 4096)
        while chunk.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        #expect(errno == ENOSPC)
    }

    @Test(.enabled(if: smallDisk != nil, "needs to mount a small tmpfs as the full disk (root with CAP_SYS_ADMIN)"))
    func aFullDiskIsResourceExhaustedReadsGoOnAndWritesComeBackWithSpace() async throws {
        let disk = try #require(Self.smallDisk)
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
}

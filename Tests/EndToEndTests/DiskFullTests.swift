import CustomerClient
import Foundation
import Glibc
import Testing

/// A full disk is RESOURCE_EXHAUSTED with a message, reads keep working, and writes work again
/// once space is freed. The disk is real: a small tmpfs mounted for the test (root only).
@Suite struct DiskFullTests {
    /// Mounts a tmpfs of `megabytes` on a fresh directory; nil when this process may not mount.
    static func mountSmallDisk(megabytes: Int) async throws -> URL? {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/mount") else { return nil }
        let directory = URL(fileURLWithPath: "/tmp/cc-full-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        let result = try await runExecutable("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0755", "tmpfs", directory.path])
        guard result.status == 0 else {
            try? FileManager.default.removeItem(at: directory)
            return nil
        }
        return directory
    }

    static func unmount(_ directory: URL) async throws {
        _ = try await runExecutable("/usr/bin/umount", [directory.path])
        try? FileManager.default.removeItem(at: directory)
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

    @Test(.enabled(if: getuid() == 0, "needs root to mount a small tmpfs as the full disk"))
    func aFullDiskIsResourceExhaustedReadsGoOnAndWritesComeBackWithSpace() async throws {
        guard let disk = try await Self.mountSmallDisk(megabytes: 8) else {
            Issue.record("mount -t tmpfs failed although running as root")
            return
        }
        // The mount goes away whatever happens in between.
        do {
            try await Self.checkFullDisk(disk)
        } catch {
            try await Self.unmount(disk)
            throw error
        }
        try await Self.unmount(disk)
    }

    static func checkFullDisk(_ disk: URL) async throws {
        let server = try await offPool { try TestServer(directory: disk) }
        let client = server.client()
        do {
            try await checkFullDisk(disk, client: client)
        } catch {
            client.close()
            try await offPool { server.stopKeepingData() }
            throw error
        }
        client.close()
        try await offPool { server.stopKeepingData() }
    }

    static func checkFullDisk(_ disk: URL, client: CustomerClient) async throws {
        let kept = try await client.customers.create(CustomerFields(name: "Before the disk filled"))
        let customer = kept.id
        try await offPool { try fill(disk.path + "/filler") }

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

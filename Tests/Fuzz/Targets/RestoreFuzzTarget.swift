import CustomerStore
import Foundation
import Glibc

/// Fuzz target (m): what `customerd --restore` reads from a backup folder, as a hostile or damaged
/// folder may hold it. Once per process a real store with a customer and two stored files is backed
/// up (`CustomerStore.backup(to:)`) into `/tmp/cc-fuzz-restore-PID/template`; each input then makes
/// a fresh backup folder from it, with the input's MANIFEST and the damage its first byte chooses,
/// and restores it (`CustomerStore.restore(from:toDatabase:force:)`) into a fresh place.
///
/// Input: one byte: the first stored file missing (bit 0), the second missing (bit 1), the first
/// with a byte flipped (bit 2), the second one byte longer (bit 3), the database with a byte flipped
/// in its middle page (bit 4), a database already at the target (bit 5), `force` (bit 6), a stray
/// `customers.sqlite-wal` of garbage beside the backup's database (bit 7); then the MANIFEST's bytes.
/// Findings: a trap; an error that is not the store's (`StoreError`, `StoreOpeningError`); a
/// restore that succeeded but whose database does not open or fails quick_check, or that holds
/// other counts than the manifest says; the backup folder or anything outside the target changed;
/// a failed restore that left anything at the target (a fresh target: nothing there; one with a
/// database: exactly what was there), but for the database's lock file, which stays by design.
final class RestoreFuzzTarget: Sendable {
    static let directory = "/tmp/cc-fuzz-restore-\(getpid())"

    /// The template backup's files, by path relative to the backup folder.
    let template: [String: [UInt8]]
    /// The two stored files' paths in the backup (relative), in the order the input's bits name them.
    let blobs: [String]
    let root: String
    /// Inputs share one folder (`root/run`), so one runs at a time.
    private let lock = NSLock()

    private init(root: String, template: [String: [UInt8]], blobs: [String]) {
        self.root = root
        self.template = template
        self.blobs = blobs
    }

    /// The template, once per process; removed when the process exits.
    static let shared: RestoreFuzzTarget = {
        atexit { try? FileManager.default.removeItem(atPath: RestoreFuzzTarget.directory) }
        return made(in: directory)
    }()

    /// A template backup in `root` (a test's own, or the process's).
    static func made(in root: String) -> RestoreFuzzTarget {
        do {
            try? FileManager.default.removeItem(atPath: root)
            try FileManager.default.createDirectory(atPath: root + "/source", withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let store = try CustomerStore(path: root + "/source/customers.sqlite")
            let author = Author.user(try store.addUser(uid: 7400, name: "boss", isAdministrator: true).id)
            let customer = try store.createCustomer(
                NewCustomer(name: "Acme Oy", vatNumber: "FI01120389", country: "FI"), allowDuplicateVAT: true, by: author)
            for (name, bytes) in [("a.txt", Array("hello".utf8)), ("b.bin", [UInt8](repeating: 7, count: 3000))] {
                let upload = try store.beginUpload(customerID: customer.id, projectID: nil, name: name,
                                                   expectedSize: Int64(bytes.count), expectedSHA256: nil, by: author)
                try upload.append(bytes)
                _ = try upload.finish()
            }
            _ = try store.backup(to: root + "/template")
            store.close()
            let template = try files(under: root + "/template")
            let blobs = template.keys.filter { $0.hasPrefix("customers.sqlite.files/") && !$0.hasSuffix("/") }.sorted()
            guard blobs.count == 2 else {
                fatalError("the restore target's template backup holds \(blobs.count) stored files, not 2: \(template.keys.sorted())")
            }
            return RestoreFuzzTarget(root: root, template: template, blobs: blobs)
        } catch {
            fatalError("cannot make the restore target's template backup in \(root): \(error)")
        }
    }

    static func run(_ input: UnsafeRawBufferPointer) {
        shared.run(input)
    }

    /// One input on this target's template.
    func run(_ input: UnsafeRawBufferPointer) {
        guard let flags = input.first else { return }
        lock.lock()
        defer { lock.unlock() }
        do {
            try run(flags: flags, manifest: Array(input.dropFirst()))
        } catch {
            fatalError("the restore target's own file work failed: \(error)")
        }
    }

    private func run(flags: UInt8, manifest: [UInt8]) throws {
        let work = root + "/run"
        try? FileManager.default.removeItem(atPath: work)
        let backup = work + "/backup"
        let target = work + "/target"
        var folder = template
        folder["MANIFEST"] = manifest
        if flags & 1 != 0 { folder[blobs[0]] = nil }
        if flags & 2 != 0 { folder[blobs[1]] = nil }
        if flags & 4 != 0, var bytes = folder[blobs[0]], !bytes.isEmpty {
            bytes[0] ^= 0x01
            folder[blobs[0]] = bytes
        }
        if flags & 8 != 0, let bytes = folder[blobs[1]] { folder[blobs[1]] = bytes + [0] }
        if flags & 16 != 0, var bytes = folder["customers.sqlite"], !bytes.isEmpty {
            bytes[bytes.count / 2] ^= 0x55
            folder["customers.sqlite"] = bytes
        }
        if flags & 128 != 0 { folder["customers.sqlite-wal"] = [UInt8](repeating: 0xA5, count: 4096) }
        try write(folder, under: backup)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        if flags & 32 != 0, let database = template["customers.sqlite"] {
            try Data(database).write(to: URL(fileURLWithPath: target + "/customers.sqlite"))
        }
        let backupBefore = try Self.files(under: backup)
        let targetBefore = try Self.files(under: target)
        let force = flags & 64 != 0

        let restored: BackupManifest
        do {
            restored = try CustomerStore.restore(from: backup, toDatabase: target + "/customers.sqlite", force: force)
        } catch is StoreError, is StoreOpeningError {
            if try Self.files(under: backup) != backupBefore {
                fatalError("a failed restore (flags \(flags)) changed the backup folder")
            }
            // The lock file stays by design (DatabaseLock): a crash could leave it anyway, and it holds only a pid.
            let targetAfter = try Self.files(under: target).filter { $0.key != "customers.sqlite.lock" }
            if targetAfter != targetBefore {
                fatalError("a failed restore (flags \(flags)) left the target changed: \(targetAfter.keys.sorted()), "
                           + "before: \(targetBefore.keys.sorted())")
            }
            try checkNothingElse(in: work)
            return
        } catch {
            fatalError("the restore (flags \(flags)) failed with an error that is not the store's: \(error)")
        }
        if try Self.files(under: backup) != backupBefore {
            fatalError("a restore (flags \(flags)) changed the backup folder")
        }
        try checkNothingElse(in: work)
        let store: CustomerStore
        do {
            store = try CustomerStore(path: target + "/customers.sqlite")
        } catch {
            fatalError("the restored database (flags \(flags)) does not open: \(error)")
        }
        defer { store.close() }
        do {
            try store.checkIntegrity()
        } catch {
            fatalError("the restored database (flags \(flags)) fails quick_check: \(error)")
        }
        if restored.customers != 1 || restored.files != 2 {
            fatalError("a restore (flags \(flags)) succeeded with a manifest that does not match the backup: \(restored)")
        }
    }

    /// Only the backup and the target are in the run's folder.
    private func checkNothingElse(in work: String) throws {
        let entries = try FileManager.default.contentsOfDirectory(atPath: work).sorted()
        if entries != ["backup", "target"] {
            fatalError("a restore wrote outside its target: \(work) holds \(entries)")
        }
    }

    /// Writes `files` (relative paths) under `folder`, owner-only, as a backup writes them.
    private func write(_ files: [String: [UInt8]], under folder: String) throws {
        for (path, bytes) in files {
            let url = URL(fileURLWithPath: folder + "/" + path)
            if path.hasSuffix("/") {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
                continue
            }
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try Data(bytes).write(to: url)
            chmod(url.path, 0o600)
        }
    }

    /// Every file and directory under `folder` by relative path: a file's bytes, a directory with a
    /// trailing `/` and no bytes.
    static func files(under folder: String) throws -> [String: [UInt8]] {
        var found: [String: [UInt8]] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return found }
        while let name = enumerator.nextObject() as? String {
            let path = folder + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                found[name + "/"] = []
            } else {
                found[name] = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            }
        }
        return found
    }

    /// The input for `manifest` with `flags`.
    static func input(flags: UInt8 = 0, manifest: String) -> [UInt8] {
        [flags] + Array(manifest.utf8)
    }

    /// The template's own MANIFEST (restored, and restored over existing data with and without
    /// force), and hostile variants of it: huge lines, NUL, paths, duplicate keys, numbers out of
    /// range, a wrong header; and the real one with each kind of damage to the folder.
    static func seeds() -> [[UInt8]] {
        let real = String(decoding: shared.template["MANIFEST"] ?? [], as: UTF8.self)
        let lines = real.split(separator: "\n").map(String.init)
        func replacing(_ key: String, with value: String) -> String {
            lines.map { $0.hasPrefix(key + " ") ? key + " " + value : $0 }.joined(separator: "\n") + "\n"
        }
        var seeds = [0, 1, 2, 4, 8, 16, 32, 96, 128].map { input(flags: UInt8($0), manifest: real) }
        let hostile = [
            replacing("customers", with: String(repeating: "9", count: 3000)),
            replacing("database-bytes", with: "-1"),
            replacing("database-bytes", with: "9223372036854775808"),
            replacing("schema-version", with: "9223372036854775807"),
            replacing("files", with: "0"),
            replacing("file-bytes", with: "1e3"),
            real.replacingOccurrences(of: "\n", with: "\r\n"),
            real.replacingOccurrences(of: " ", with: "\u{0}"),
            real + lines.dropFirst().joined(separator: "\n") + "\n",
            real + "customers 0\n",
            real + "database ../../../etc/passwd\n" + "file /etc/shadow\n",
            real + String(repeating: "x", count: 3500),
            lines.dropFirst().joined(separator: "\n"),
            "customercard-backup 2\n" + lines.dropFirst().joined(separator: "\n"),
            "\u{FEFF}" + real,
            "",
        ]
        seeds += hostile.map { input(manifest: $0) }
        return seeds
    }
}

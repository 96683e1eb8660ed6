import CommandLineKit
import CustomerClient
import Foundation
import Glibc
import TestSupport
import Testing

/// The database's files can be put in place, or swapped, by nobody but the server's user (and
/// root): customerd refuses to start on a database whose directory others may write to or own, or
/// whose files (database, write-ahead log, lock) are another user's or links, and writes nothing
/// (redteam20b, contrib/hostile/file_planting.py).
@Suite struct DatabaseFileSafetyTests {
    static func size(_ path: String) -> Int64? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }

    /// Another local user with write access to a shared directory planted a database and a
    /// write-ahead log of its own, mode 0666: the server wrote every customer into them.
    @Test(.enabled(if: getuid() == 0, "needs root to give a file to another owner"))
    func aDatabaseAndLogPlantedByAnotherUserAreRefusedAndNotWritten() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let database = root.appendingPathComponent("customers.sqlite").path
        for file in [database, database + "-wal"] {
            let descriptor = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            #expect(descriptor >= 0)
            close(descriptor)
            #expect(chown(file, 4246, 4246) == 0 && chmod(file, 0o666) == 0)
        }
        let result = try await refusedStart(["--socket", root.path + "/d.sock", "--database", database])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("the database \(database) is unsafe: \(database) belongs to uid 4246, not to this server's user"),
                "\(result.stderr)")
        #expect(Self.size(database) == 0 && Self.size(database + "-wal") == 0)
        #expect(Self.size(database + ".lock") == nil)
    }

    /// Where the default database goes when HOME is unset (`/tmp/customercard-UID`), or any shared
    /// directory: another user may create the database's files there before the server does.
    @Test func aDatabaseDirectoryOthersMayWriteToIsRefused() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let shared = root.appendingPathComponent("shared").path
        #expect(mkdir(shared, 0o700) == 0 && chmod(shared, 0o1777) == 0)
        let result = try await refusedStart(["--socket", root.path + "/d.sock", "--database", shared + "/c.sqlite"])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("its directory \(shared) has mode 1777: group or others may create files there"),
                "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: shared).isEmpty)
    }

    @Test(.enabled(if: getuid() == 0, "needs root to give a directory to another owner"))
    func aDatabaseDirectoryOfAnotherUserIsRefused() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let foreign = root.appendingPathComponent("foreign").path
        #expect(mkdir(foreign, 0o700) == 0 && chown(foreign, 4247, 4247) == 0)
        let result = try await refusedStart(["--socket", root.path + "/d.sock", "--database", foreign + "/c.sqlite"])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("its directory \(foreign) belongs to uid 4247"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: foreign).isEmpty)
    }

    @Test func aSymbolicLinkAtTheDatabasePathIsRefused() async throws {
        let root = try TestServer.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let victim = root.appendingPathComponent("victim").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: victim))
        let database = root.appendingPathComponent("c.sqlite").path
        #expect(symlink(victim, database + "-wal") == 0)
        let result = try await refusedStart(["--socket", root.path + "/d.sock", "--database", database])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("\(database)-wal is not a regular file"), "\(result.stderr)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me")
        #expect(Self.size(database) == nil)
    }
}

/// Started with umask 000, customerd makes nothing that group or others may read or write: its
/// HOME got Foundation's URLCache and cookie directories with mode 0777 before (redteam20b).
@Suite struct DaemonUmaskTests {
    @Test func underUmask000NothingTheServerMakesIsOpenToOthers() async throws {
        let files = try DaemonFiles()
        defer { files.remove() }
        let home = files.directory.appendingPathComponent("home").path
        #expect(mkdir(home, 0o700) == 0)
        let customerd = try Products.url(of: "customerd").path
        let daemon = try ChildProcess.spawn("/bin/sh", [
            "-c", "umask 000; exec \"$0\" --socket \"$1\" --database \"$2\" --log-level warning",
            customerd, files.socket, files.directory.appendingPathComponent("data/customers.sqlite").path,
        ], environment: ["PATH": "/usr/bin:/bin", "HOME": home])
        defer {
            daemon.terminate()
            _ = daemon.waitUntilExit()
        }
        let client = CustomerClient(socketPath: files.socket)
        try await waitUntilServing(client)
        _ = try await client.customers.create(CustomerFields(name: "Umask Oy"))
        var open: [String] = []
        let root = files.directory.path
        let walker = FileManager.default.enumerator(atPath: root)
        while let name = walker?.nextObject() as? String {
            var info = stat()
            guard lstat(root + "/" + name, &info) == 0 else { continue }
            if info.st_mode & 0o077 != 0 { open.append("\(name) \(String(info.st_mode & 0o7777, radix: 8))") }
        }
        #expect(open.isEmpty, "made open to others under umask 000: \(open)")
    }
}

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A small file beside the database, `DATABASE.wal-length`, saying how many bytes of write-ahead
/// log the last commit needed and on which boot of the machine: a start finds a log cut short while
/// no server ran, or while one ran that never read the cut pages (hardening's known gap).
///
/// Why it is sound: after a commit of `n` log pages the log file holds at least the header and
/// those `n` frames (SQLite writes them in place; it never shrinks the file but by a truncating
/// checkpoint or by deleting it at the last close, and this store sets no `journal_size_limit`).
/// The record is raised only after such a commit (the writer's WAL hook) and lowered (emptied)
/// before anything of the server's own shrinks the log: the truncating checkpoint after an
/// erasure, and the store's close. So on the same boot a log shorter than the record was cut by
/// someone else: the page cache keeps what was written, even through a `kill -9`. On another boot
/// a power cut may have lost the log's tail the record survived (without an fsync, which is what
/// `synchronous=NORMAL` saves: the record is not synced either), so the check is made only on the
/// boot that wrote it (`/proc/sys/kernel/random/boot_id`).
///
/// Cost: one pwrite(2) of 64 bytes to a descriptor held open, per commit group, on the writer's
/// thread after its commit; no fsync (docs/HARDENING.md measures it).
///
/// What it does not see: a log cut and then grown back past the record (written over by another
/// process), frames garbled in place (SQLite's checksums drop them, as before), and a cut on a
/// machine restarted since the last commit, or after another SQLite program wrote the database
/// file (see ``cut(databasePath:)``; a kill landing between one of the server's own checkpoints
/// and its ``touch()`` looks the same, so a cut after such a kill is not found either).
public final class LogLengthRecord: Sendable {
    /// The record's path for the database at `databasePath`.
    public static func path(forDatabase databasePath: String) -> String { databasePath + ".wal-length" }

    /// The record's fixed width: the boot id, a space, the length, a newline, padded with spaces.
    static let width = 64

    private let descriptor: Int32
    /// The boot id and a space, UTF-8: each record's start.
    private let prefix: [UInt8]
    /// Bytes of one log frame, a 24-byte frame header and a page; 0 until ``use(pageSize:)``.
    private let frameBytes = Atomic<Int64>(0)
    /// Set by ``lower()``: no commit raises it again (the store is closing).
    private let isLowered = Atomic<Bool>(false)

    /// Opens (creating, mode 0600) the record of the database at `databasePath`; nil when it
    /// cannot be opened or the boot is unknown (nothing is recorded then, and the next start
    /// checks nothing).
    public init?(databasePath: String) {
        guard let boot = Self.currentBoot() else { return nil }
        let path = Self.path(forDatabase: databasePath)
        let descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        prefix = Array((boot + " ").utf8)
    }

    /// The database's page size, once it is open: commits are recorded from then on.
    public func use(pageSize: Int64) {
        frameBytes.store(pageSize > 0 ? 24 + pageSize : 0, ordering: .relaxed)
    }

    deinit {
        // A store dropped without its close (an open that failed after SQLite committed): its
        // connections close now, and the last one deletes the log the record describes.
        _ = ftruncate(descriptor, 0)
        close(descriptor)
    }

    /// After a commit that left `pages` frames in the log: the log is at least that long.
    /// Formatted by hand into one stack buffer: it runs after every commit group, on the writer.
    public func committed(pages: Int32) {
        let frameBytes = frameBytes.load(ordering: .relaxed)
        guard frameBytes > 0, !isLowered.load(ordering: .relaxed) else { return }
        var length = Self.logBytes(pages: pages, frameBytes: frameBytes)
        let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.width) { buffer -> Int in
            buffer.initialize(repeating: UInt8(ascii: " "))
            _ = buffer.initialize(fromContentsOf: prefix.prefix(Self.width - 21))
            // The length's digits end before the newline, right-aligned: the parser splits on spaces.
            var end = Self.width - 1
            buffer[end] = UInt8(ascii: "\n")
            repeat {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(length % 10)
                length /= 10
            } while length > 0
            return pwrite(descriptor, buffer.baseAddress, Self.width, 0)
        }
        // Half a record cannot be read back as a longer one: emptied, it asks nothing of the next start.
        if written != Self.width { _ = ftruncate(descriptor, 0) }
    }

    /// After a checkpoint of the server's own copied log pages into the database: the record's
    /// time moves past the database file's, so ``cut(databasePath:)`` tells the server's own
    /// writes to the database from another program's.
    public func touch() {
        _ = futimens(descriptor, nil)
    }

    /// Before the log is truncated (after an erasure): nothing recorded until the next commit.
    public func emptyBeforeTruncation() {
        _ = ftruncate(descriptor, 0)
    }

    /// Before the store closes (SQLite deletes the log with its last connection): nothing recorded
    /// from now on.
    public func lower() {
        isLowered.store(true, ordering: .relaxed)
        _ = ftruncate(descriptor, 0)
    }

    /// What the record says of the log at `databasePath`'s side, read before SQLite opens it: a
    /// sentence naming the log, its length and the length the last commit left, when the log is
    /// shorter than that on this boot; nil otherwise (no record, an empty one, another boot's).
    public static func cut(databasePath: String) -> String? {
        let path = path(forDatabase: databasePath)
        guard let data = FileManager.default.contents(atPath: path), data.count <= width,
              let boot = currentBoot() else { return nil }
        let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 2, fields[0] == boot, let recorded = Int64(fields[1]) else { return nil }
        // Another SQLite program (the `sqlite3` shell looking at the data after a kill, say) that
        // opened the database since: its last connection copied the log into the database and
        // deleted it (or truncated it), which loses nothing, and wrote the database file after the
        // record's last write (the server's own checkpoints `touch()` the record after theirs). The
        // log's length then says nothing; judging it would refuse a sound database.
        var recordInfo = stat(), databaseInfo = stat()
        if stat(path, &recordInfo) == 0, stat(databasePath, &databaseInfo) == 0,
           Self.isLater(databaseInfo.st_mtim, than: recordInfo.st_mtim) {
            return nil
        }
        let logPath = databasePath + "-wal"
        var info = stat()
        let length = stat(logPath, &info) == 0 ? Int64(info.st_size) : 0
        guard length < recorded else { return nil }
        return "the write-ahead log \(logPath) is \(length) bytes, shorter than the \(recorded) bytes the last commit left in "
            + "it on this boot of the machine (\(path)): it was cut or removed while no server read it"
    }

    /// The bytes a log of `pages` frames of `frameBytes` each takes at least: its 32-byte header
    /// and the frames (0 while the frame's size is not known).
    public static func logBytes(pages: Int32, frameBytes: Int64) -> Int64 {
        frameBytes > 0 ? 32 + Int64(max(pages, 0)) * frameBytes : 0
    }

    /// Removes the record (a restore replaces the database it describes).
    public static func remove(databasePath: String) {
        _ = unlink(path(forDatabase: databasePath))
    }

    private static func isLater(_ time: timespec, than other: timespec) -> Bool {
        time.tv_sec != other.tv_sec ? time.tv_sec > other.tv_sec : time.tv_nsec > other.tv_nsec
    }

    private static func currentBoot() -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/sys/kernel/random/boot_id") else { return nil }
        let boot = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return boot.isEmpty || boot.contains(" ") ? nil : boot
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ThreadSync

/// An import's messages as they arrive, kept in a temporary file until the client has ended its
/// stream, then read back in order for the import's transaction.
///
/// Why: the import's transaction holds the database's one writer, and with it every other write.
/// Streaming rows into it as they arrive let a slow client, or one gone silent mid-stream, stop
/// every create and update of the service until its stream ended or timed out. Spooled, the
/// transaction starts only when every row is there, and lasts as long as writing them takes.
///
/// The file is made next to the database (a directory the service owns: under systemd's
/// `PrivateTmp` and `ProtectSystem=strict` it is where the service may write), owner-only, and
/// unlinked at once, so it holds no name and disappears with its descriptor, also after a crash.
/// Each message is stored as its length (4 bytes, big-endian) and its bytes, as received.
///
/// The file is bounded (`limit`): a caller allowed to import could otherwise send rows until the
/// disk the database lives on was full, failing every other write of the service meanwhile. So are
/// all imports in progress together (`total`, one ``SharedBudget`` per server): a few imports at
/// once, each within its own bound, could fill a small disk as well.
///
/// Neither bound knows the disk: on one with less free space than they allow, spools could still
/// fill it. So each block written first checks the file system's free space (`statvfs`, one call
/// per MiB spooled) and refuses the import while writing it would leave less than `reserve`
/// bytes, kept for the database and its write-ahead log.
///
/// Used by one thread at a time (the call's handler while it spools, then the import's producer
/// thread, `CustomerImportPipeline`, while it reads back); not `Sendable`.
public final class CustomerImportSpool {
    /// The default bound of one import's spool file (2 GiB): about six million rows with an
    /// address and a contact each, as `customer-bench import --with-children` sends them.
    public static let defaultLimit: Int64 = 2 << 30
    /// The default free space spools leave on the database's file system (256 MiB): room for the
    /// database and its write-ahead log to grow by about a day of a busy firm's writes meanwhile.
    public static let defaultFreeSpaceReserve: Int64 = 256 << 20

    /// The most bytes the file may hold (each message and its 4-byte length).
    public let limit: Int64
    /// What every import's spool holds together, shared by the server's imports; this one's `size`
    /// is taken from it and given back when the spool goes.
    private let total: SharedBudget?
    /// Free bytes the spool never takes from its file system (0: no check).
    public let reserve: Int64
    /// Bytes appended so far, lengths included.
    public private(set) var size: Int64 = 0
    /// Where the file was made, for errors (it has no name once made).
    private let path: String
    private let descriptor: Int32
    /// Bytes appended and not yet written; written in blocks of `blockSize`.
    private var pending: [UInt8] = []
    /// What was read back and not yet handed out, from `readOffset`.
    private var readBuffer: [UInt8] = []
    private var readOffset = 0
    private var isReading = false
    private var isAtEnd = false
    /// Messages appended.
    public private(set) var count = 0

    static let blockSize = 1 << 20

    /// Makes the unnamed file in `directory`, to hold at most `limit` bytes.
    /// - Throws: `StoreError.io`, `resourceExhausted`.
    init(directory: String, limit: Int64 = defaultLimit, total: SharedBudget? = nil,
         reserve: Int64 = defaultFreeSpaceReserve) throws {
        self.limit = limit
        self.total = total
        self.reserve = reserve
        (descriptor, path) = try FileSystem.makeUnlinkedFile(in: directory, prefix: ".customer-import-")
    }

    deinit {
        close(descriptor)
        total?.giveBack(Int(size))
    }

    /// Keeps one message. - Throws: `StoreError` when the file cannot be written (a full disk:
    /// `resourceExhausted`), past `limit` or past what the imports in progress may hold together
    /// (`resourceExhausted`, nothing kept of the message); after `next()` began reading back.
    public func append(_ message: [UInt8]) throws {
        guard !isReading, let length = UInt32(exactly: message.count) else {
            throw StoreError.invalidArgument([FieldViolation(field: "rows", reason: "a message of the import is too large")])
        }
        let grown = size + 4 + Int64(length)
        guard grown <= limit else {
            throw StoreError.resourceExhausted(
                "the import exceeds the server's limit of \(limit) bytes as received (its messages and 4 bytes for each); "
                    + "split it into smaller imports")
        }
        if let total, !total.take(4 + Int(length)) {
            throw StoreError.resourceExhausted(
                "the imports in progress at once would pass the server's limit of \(total.limit) bytes as received "
                    + "for all of them together (this one holds \(size)); try again when other imports have ended")
        }
        size = grown
        withUnsafeBytes(of: length.bigEndian) { pending.append(contentsOf: $0) }
        pending.append(contentsOf: message)
        count += 1
        if pending.count >= Self.blockSize { try writePending() }
    }

    /// The next message in the order they were appended; nil after the last. The first call ends
    /// appending. - Throws: `StoreError.io` when the file cannot be read, or reads short.
    public func next() throws -> [UInt8]? {
        if !isReading {
            try writePending()
            try FileSystem.call("lseek", path) { lseek(descriptor, 0, SEEK_SET) }
            isReading = true
        }
        guard let header = try take(4) else { return nil }
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        guard let message = try take(length) else {
            throw StoreError.io("the import's spool file \(path) ended inside a message")
        }
        return message
    }

    private func writePending() throws {
        guard !pending.isEmpty else { return }
        try keepReserve(writing: Int64(pending.count))
        try pending.withUnsafeBytes { try FileSystem.writeAll(descriptor, $0, path: path) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Refuses a write of `count` bytes that would leave less than ``reserve`` free. A file system
    /// whose free space cannot be read is not refused: the disk-full error still ends the import.
    private func keepReserve(writing count: Int64) throws {
        guard reserve > 0, let free = Self.freeBytes(of: descriptor), free - count < reserve else { return }
        throw StoreError.resourceExhausted(
            "the import's spool would leave less than the server's reserve of \(reserve) bytes free on the "
                + "database's file system (\(free) bytes free, the import holds \(size)); try again when space is freed")
    }

    /// Bytes an unprivileged writer may still take on the file system holding `descriptor`'s file.
    static func freeBytes(of descriptor: Int32) -> Int64? {
        var info = statvfs()
        guard fstatvfs(descriptor, &info) == 0 else { return nil }
        let (bytes, overflow) = UInt64(info.f_bavail).multipliedReportingOverflow(by: UInt64(info.f_frsize))
        return overflow ? .max : Int64(clamping: bytes)
    }

    /// The next `count` bytes; nil when the file ends before any of them (`count` 0: an empty array).
    private func take(_ count: Int) throws -> [UInt8]? {
        while readBuffer.count - readOffset < count, !isAtEnd {
            readBuffer.removeFirst(readOffset)
            readOffset = 0
            let want = max(Self.blockSize, count - readBuffer.count)
            let before = readBuffer.count
            // `Array(repeating:count:)` fills in one pass even in a debug build (as FrameReader's
            // buffer grows); appending `repeatElement` went byte by byte there, ~0.2 s of CPU an
            // import in a debug customerd, which the test suite runs.
            readBuffer += [UInt8](repeating: 0, count: want)
            let got = try readBuffer.withUnsafeMutableBytes { buffer in
                try FileSystem.call("read", path) { read(descriptor, buffer.baseAddress.map { $0 + before }, want) }
            }
            readBuffer.removeLast(want - got)
            if got == 0 { isAtEnd = true }
        }
        let available = readBuffer.count - readOffset
        if available < count {
            if available == 0 { return nil }
            throw StoreError.io("the import's spool file \(path) ended inside a message")
        }
        defer { readOffset += count }
        return Array(readBuffer[readOffset..<(readOffset + count)])
    }
}

extension CustomerStore {
    /// A new, empty spool for an import's messages, next to the database, holding at most `limit`
    /// bytes, with every other spool of `total` at most its limit, and leaving `reserve` bytes free
    /// on the database's file system.
    public func makeImportSpool(limit: Int64 = CustomerImportSpool.defaultLimit, total: SharedBudget? = nil,
                                reserve: Int64 = CustomerImportSpool.defaultFreeSpaceReserve) throws -> CustomerImportSpool {
        try CustomerImportSpool(directory: databaseDirectory, limit: limit, total: total, reserve: reserve)
    }

    /// Where the store's temporary files go: beside the database, a directory the service owns
    /// (under systemd's `PrivateTmp` and `ProtectSystem=strict`, where the service may write).
    var databaseDirectory: String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }
}

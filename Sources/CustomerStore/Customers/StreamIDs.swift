import Foundation
import SQLiteEngine
#if canImport(Glibc)
import Glibc
#endif

/// The ids an ordered stream delivers, in its order, read once as the stream starts (one scan in
/// its first read transaction) and handed out a batch at a time, each batch's rows then read by id.
///
/// Why: a stream reads in batches, each its own read transaction (a slow client holds no
/// snapshot). Read by a keyset of its order (name, number), a customer renamed between two
/// batches from ahead of the stream's position to behind it was never delivered, and one moved
/// the other way twice (race21). Its ids fixed at the start, each is delivered once, at its turn.
///
/// The cost is 8 bytes an id. Up to ``memoryLimit`` ids are held in memory (32 KiB: a stream of a
/// few thousand customers stays a few allocations); past it they go to an unnamed file beside the
/// database (``FileSystem/makeUnlinkedFile(in:prefix:)``, as an import's spool), written and read
/// back in blocks of ``blockCount`` ids, so a stream of a million customers holds 32 KiB of ids in
/// memory, not 8 MiB, and 256 paused ones 8 MiB, not 2 GiB. The file is counted in the stream's
/// OS user's ``StreamIDBudget`` (taken before it is made and as it grows, given back when the
/// stream ends, however it ends), and each block written first checks that the database's file
/// system keeps the budget's free-space reserve (the server's `--import-free-space-reserve`).
///
/// Held more compactly, ids in name order would still take ~3 bytes each (delta and varint coded:
/// their gaps are as random as the names), in the server's memory rather than on its disk.
///
/// Used by one thread at a time (the stream's); not `Sendable`.
final class StreamIDs {
    static let memoryLimit = 4_096
    static let blockCount = 4_096

    private let directory: String
    private let budget: StreamIDBudget
    /// Whose budget the file is counted in (an OS uid; nil: the server's own), and how much of it.
    private let owner: UInt32?
    private var counted: Int64 = 0
    /// Whether this stream holds one of the budget's files (taken before its file is made).
    private var holdsFile = false
    /// The ids not yet in the file (all of them while there is none), from `readIndex` once reading.
    private var buffer: [Int64] = []
    private var readIndex = 0
    private var file: (descriptor: Int32, name: String)?
    /// Ids in the file, and how many of them were read back.
    private var written = 0
    private var readFromFile = 0

    init(directory: String, budget: StreamIDBudget, owner: UInt32?) {
        self.directory = directory
        self.budget = budget
        self.owner = owner
    }

    deinit {
        if let file { close(file.descriptor) }
        budget.giveBack(counted, for: owner)
        if holdsFile { budget.giveBackFile(for: owner) }
    }

    func append(_ id: Int64) throws {
        buffer.append(id)
        if buffer.count >= (file == nil ? Self.memoryLimit : Self.blockCount) { try spill() }
    }

    /// The next `limit` ids in the order appended (fewer at the end, none after it). Call it only
    /// once every id was appended.
    func next(_ limit: Int) throws -> [Int64] {
        // The ids still in memory were appended after the file's: they are read after them.
        var ids: [Int64] = []
        ids.reserveCapacity(limit)
        if let file, readFromFile < written {
            let wanted = min(limit, written - readFromFile)
            try readBack(file, into: &ids, count: wanted)
        }
        let fromMemory = min(limit - ids.count, buffer.count - readIndex)
        if fromMemory > 0 {
            ids.append(contentsOf: buffer[readIndex..<(readIndex + fromMemory)])
            readIndex += fromMemory
        }
        return ids
    }

    /// `column IN (?, …)` with `slots` (at least `ids.count`) placeholders and the values binding
    /// `ids` to them: a batch's rows read by id. Those past `ids.count` are bound as NULL, which
    /// matches none, so a stream's batches share a few prepared statements (one per batch size),
    /// not one per length of its last batch.
    static func membership(_ column: String, ids: [Int64], slots: Int) -> (condition: String, values: [SQLValue]) {
        let slots = max(slots, ids.count, 1)
        var values = ids.map { SQLValue.integer($0) }
        values += repeatElement(.null, count: slots - ids.count)
        return (column + " IN (" + String(repeating: "?, ", count: slots - 1) + "?)", values)
    }

    private func spill() throws {
        let bytes = Int64(buffer.count * MemoryLayout<Int64>.size)
        try count(Int64(written * MemoryLayout<Int64>.size) + bytes)
        try takeFile()
        let file = try self.file ?? FileSystem.makeUnlinkedFile(in: directory, prefix: ".customer-stream-")
        self.file = file
        let reserve = budget.freeSpaceReserve
        if reserve > 0, let free = CustomerImportSpool.freeBytes(of: file.descriptor), free - bytes < reserve {
            throw StoreError.resourceExhausted(
                "the stream's ids would leave less than the server's reserve of \(reserve) bytes free on the "
                    + "database's file system (\(free) bytes free); narrow the stream's query or try again when space is freed")
        }
        try buffer.withUnsafeBytes { try FileSystem.writeAll(file.descriptor, $0, path: file.name) }
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// The owner, as refusals name it.
    private var whose: String { owner.map { "OS user \($0)'s" } ?? "the server's own" }

    /// Takes steps of the owner's budget until `size` bytes of file are counted; the first before
    /// the file is made, so a refused stream holds no descriptor.
    private func count(_ size: Int64) throws {
        guard size > counted else { return }
        let steps = (size - counted + StreamIDBudget.step - 1) / StreamIDBudget.step
        let more = steps * StreamIDBudget.step
        guard budget.take(more, for: owner) else {
            throw StoreError.resourceExhausted(
                "\(whose) ordered streams would hold more than the server's limit of \(budget.perUser) bytes of "
                    + "customer ids on disk at once (--max-stream-ids-per-user; a stream of more than \(Self.memoryLimit) "
                    + "customers or contacts counts \(StreamIDBudget.step) bytes for each \(StreamIDBudget.step / 8) of them, "
                    + "\(budget.inUse(by: owner)) held now); read to their end or cancel this user's other exports, "
                    + "mailing lists and streams by name or number, or narrow the query")
        }
        counted += more
    }

    /// Takes one of the server's id files before the first is made, so a refused stream holds no
    /// descriptor and the ones the server keeps for its database, imports and backups stay free.
    private func takeFile() throws {
        guard !holdsFile else { return }
        switch budget.takeFile(for: owner) {
        case .taken:
            holdsFile = true
        case .poolFull:
            throw StoreError.resourceExhausted(
                "the server's ordered streams already hold its limit of \(budget.maxFiles) customer-id files at once "
                    + "(all OS users together; a stream of more than \(Self.memoryLimit) customers or contacts holds one, "
                    + "and the bound is derived from the server's file-descriptor limit, ulimit -n or systemd's "
                    + "LimitNOFILE=); try again when other exports, mailing lists or streams end, narrow the query, "
                    + "or have the operator raise the descriptor limit")
        case .reserveKept(let held):
            throw StoreError.resourceExhausted(
                "too many customer-id files of ordered streams (limit \(budget.maxFiles), all OS users together): the last "
                    + "\(budget.reserve) are kept for OS users holding fewer than \(StreamIDBudget.reserveUserLimit), and "
                    + "\(whose) streams hold \(held) (a stream of more than \(Self.memoryLimit) customers or contacts holds "
                    + "one); read them to their end or cancel this user's other exports, mailing lists and streams, "
                    + "or narrow the query")
        }
    }

    /// Reads `count` ids at the file's read position (the file holds them in this machine's byte
    /// order: it lives as long as the stream, on this machine).
    private func readBack(_ file: (descriptor: Int32, name: String), into ids: inout [Int64], count: Int) throws {
        let start = ids.count
        ids += [Int64](repeating: 0, count: count)
        let wanted = count * MemoryLayout<Int64>.size
        var done = 0
        let offset = off_t(readFromFile * MemoryLayout<Int64>.size)
        try ids.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            let target = base + start * MemoryLayout<Int64>.size
            while done < wanted {
                let got = try FileSystem.call("pread", file.name) {
                    pread(file.descriptor, target + done, wanted - done, offset + off_t(done))
                }
                guard got > 0 else { throw StoreError.io("the stream's id file \(file.name) ended early") }
                done += got
            }
        }
        readFromFile += count
    }
}

extension CustomerStore {
    /// An ordered stream by ``StreamIDs``: `scan` (a SELECT whose first column is the id) gives
    /// every id the stream delivers, in its order, in the stream's first read transaction, which
    /// also reads the first batch; each next batch of ids (``StreamBatches``) is read by `rows`
    /// (given the ids and the batch's size) in a read transaction of its own, and `body` runs
    /// between batches, never inside a read.
    ///
    /// So each row whose id the scan found is delivered at most once, in the order of the
    /// stream's start, as it is at its turn; `rows` leaves out the ones gone (erased) or no longer
    /// matching by then.
    func streamInStartOrder<Row>(scan: (sql: String, values: [SQLValue]), osUser: UInt32?,
                                 rows: (SQLiteConnection, [Int64], Int) throws -> [Row],
                                 _ body: (Row) throws -> Void) throws {
        let ids = StreamIDs(directory: databaseDirectory, budget: streamIDBudget, owner: osUser)
        var batches = StreamBatches()
        var batch = try read { connection in
            try connection.withStatement(scan.sql) { statement in
                try statement.bind(scan.values)
                while try statement.step() { try ids.append(statement.int64(0)) }
            }
            let first = try ids.next(batches.next)
            return first.isEmpty ? [] : try rows(connection, first, batches.next)
        }
        while true {
            for row in batch { try body(row) }
            batches.grow()
            let next = try ids.next(batches.next)
            if next.isEmpty { return }
            batch = try read { try rows($0, next, batches.next) }
        }
    }
}

import CommandLineKit
import CustomerCSV
import CustomerClient
import Synchronization

/// `customers import`'s file read as it is sent: each batch is read and parsed on a thread of its
/// own (a pipe's writer may be slow; a read blocks) and sent before the next is read, so
/// customerctl holds a batch or two and the row being read, whatever the file's size (redteam34).
final class ImportFeed: Sendable {
    let input: InputFile
    private let delimiter: UInt8
    private let maps: [String]
    private let parser: Mutex<CustomerImport>

    private init(input: InputFile, delimiter: UInt8, maps: [String], parser: CustomerImport) {
        self.input = input
        self.delimiter = delimiter
        self.maps = maps
        self.parser = Mutex(parser)
    }

    /// The feed of `input`, its header row read: a header naming no field is a usage error before
    /// any call starts.
    static func open(_ input: InputFile, delimiter: UInt8, maps: [String]) async throws -> ImportFeed {
        let parser = try await runOnThread { try CustomerImport(source: input, delimiter: delimiter, maps: maps) }
        return ImportFeed(input: input, delimiter: delimiter, maps: maps, parser: parser)
    }

    /// The next batch to send (`CustomerImport.nextBatch`), or nil at the end of the file.
    func nextBatch() async throws -> [CustomerRecord]? {
        try await runOnThread { try self.parser.withLock { try $0.nextBatch() } }
    }

    /// What has been read so far: the rows, the problems found here.
    var read: CustomerImport { parser.withLock { $0 } }

    /// Starts again from the file's first row, for a call sent again; false for a pipe, whose rows
    /// cannot be read twice.
    func restart() async throws -> Bool {
        guard input.rewind() else { return false }
        let input = input, delimiter = delimiter, maps = maps
        let fresh = try await runOnThread { try CustomerImport(source: input, delimiter: delimiter, maps: maps) }
        parser.withLock { $0 = fresh }
        return true
    }
}

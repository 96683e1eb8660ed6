import CommandLineKit
import CustomerCSV
import DirectorySafety
import Foundation
import Glibc

/// A file the operator names for customerctl to read (`customers import FILE`, `files upload ID
/// PATH`): opened once, checked for what it is before a byte is read, and read with read(2), so a
/// failure says why (redteam33). Before, `customers import` read through FileManager, which reads
/// no pipe: `customers import /dev/stdin` and `<(gunzip -c x.csv.gz)` were "cannot read", exit 64,
/// as was a missing or unreadable file, with no cause; `files upload` of a pipe failed `CANCELLED`
/// with a Foundation error dump (its second pass seeks), of a FIFO waited for good (opened twice),
/// and of /dev/zero hashed without end.
struct InputFile: CSVByteSource {
    /// What the command does with the file: an import reads it once, to its end (a pipe will do);
    /// an upload reads it twice, to hash it and then to send it (only a regular file will do).
    enum Use {
        case readOnce
        case readTwice
    }

    let descriptor: Int32
    let path: String

    /// Opens `path` for `use`: O_NONBLOCK, so a FIFO without a writer is looked at, not waited for;
    /// a regular file's descriptor blocks again once its kind is known, a FIFO an import reads is
    /// opened again to wait for its writer. Runs on a thread of its own: a pipe's writer may take
    /// as long as it likes.
    static func open(_ path: String, for use: Use) async throws -> InputFile {
        let descriptor = try await runOnThread { () throws(InputFileError) -> Int32 in
            let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
            guard descriptor >= 0 else { throw InputFileError("cannot read \(path): \(String(cString: strerror(errno)))") }
            var info = stat()
            guard fstat(descriptor, &info) == 0 else {
                let reason = String(cString: strerror(errno))
                Glibc.close(descriptor)
                throw InputFileError("cannot read \(path): \(reason)")
            }
            let kind = info.st_mode & S_IFMT
            switch (use, kind) {
            case (_, S_IFREG):
                _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
                return descriptor
            case (.readOnce, S_IFIFO):
                // Opened again without O_NONBLOCK, as `cat` opens it: it waits for the FIFO's
                // writer, where the descriptor opened without waiting reads end of file at once
                // when no writer has come yet.
                Glibc.close(descriptor)
                let waiting = Glibc.open(path, O_RDONLY | O_CLOEXEC)
                guard waiting >= 0 else { throw InputFileError("cannot read \(path): \(String(cString: strerror(errno)))") }
                return waiting
            case (.readTwice, _):
                Glibc.close(descriptor)
                throw InputFileError("\(path) is \(FileKind.described(info.st_mode)), not a regular file: an upload "
                    + "reads its file twice (to hash it, then to send it); copy it to a file first")
            case (.readOnce, _):
                Glibc.close(descriptor)
                throw InputFileError("\(path) is \(FileKind.described(info.st_mode)), not a file or a pipe")
            }
        }
        return InputFile(descriptor: descriptor, path: path)
    }

    /// The next bytes, at most 64 KiB, or nil at the end: blocking, so on a thread of its own
    /// (`ImportFeed` reads its batches there).
    func nextChunk() throws -> [UInt8]? {
        do {
            let chunk = try DescriptorInput.readChunk(from: descriptor, named: path)
            return chunk.isEmpty ? nil : chunk
        } catch {
            throw InputFileError("\(error)")
        }
    }

    /// How far the file has been read, when it is a file (a pipe has no position).
    var offset: Int64? {
        let offset = lseek(descriptor, 0, SEEK_CUR)
        return offset >= 0 ? Int64(offset) : nil
    }

    /// Its size, when it is a file.
    var size: Int64? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// Back to its first byte, when it is a file: false for a pipe, which cannot be read again.
    func rewind() -> Bool {
        size != nil && lseek(descriptor, 0, SEEK_SET) == 0
    }

    func close() {
        _ = Glibc.close(descriptor)
    }

    /// A handle that reads and seeks the file and closes it when it goes.
    func handle() -> FileHandle {
        FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }
}

/// An input file that cannot be used: exit 1, the message says why.
struct InputFileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import Glibc

/// Reads a descriptor to its end with read(2), so a failed read is an error with its errno, never a
/// trap, and input past a limit is refused instead of held (redteam31).
///
/// Foundation's `FileHandle.readDataToEndOfFile()` traps when read(2) fails (a `try!` inside):
/// `customerctl call -d - < /` (EISDIR), or a terminal that went away (EIO), ended in SIGILL and a
/// crash report; and it reads for as long as input comes (`< /dev/zero` until memory ran out).
public enum DescriptorInput {
    /// Every byte up to end of file, retrying on EINTR; `name` says what it is in the error.
    /// - Throws: the errno of a failed read, or `tooLarge` once more than `limit` bytes came (what
    ///   was read is dropped).
    public static func readAll(from descriptor: Int32, named name: String, limit: Int = .max) throws(DescriptorInputError) -> [UInt8] {
        var bytes: [UInt8] = []
        while true {
            let chunk = try readChunk(from: descriptor, named: name)
            if chunk.isEmpty { return bytes }
            guard chunk.count <= limit - bytes.count else { throw DescriptorInputError(name: name, fault: .tooLarge(limit: limit)) }
            bytes.append(contentsOf: chunk)
        }
    }

    /// What one read(2) of at most `size` bytes returns, retrying on EINTR: empty at end of file.
    /// For readers that take their input a piece at a time (`customers import` streams its rows
    /// as it reads them, whatever the file's size).
    public static func readChunk(from descriptor: Int32, named name: String, size: Int = 64 * 1024)
        throws(DescriptorInputError) -> [UInt8]
    {
        var chunk = [UInt8](repeating: 0, count: max(1, size))
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 {
                chunk.removeLast(chunk.count - count)
                return chunk
            }
            if errno == EINTR { continue }
            throw DescriptorInputError(name: name, fault: .failed(errno: errno))
        }
    }
}

/// A descriptor could not be read to its end.
public struct DescriptorInputError: Error, Equatable, CustomStringConvertible {
    public enum Fault: Equatable, Sendable {
        /// read(2) failed (EISDIR for a directory, EIO for a terminal gone).
        case failed(errno: Int32)
        /// More than `limit` bytes came before the end.
        case tooLarge(limit: Int)
    }

    /// What was read ("standard input").
    public let name: String
    public let fault: Fault

    public var description: String {
        switch fault {
        case .failed(let errno): "cannot read \(name): \(String(cString: strerror(errno)))"
        case .tooLarge(let limit) where limit % (1 << 20) == 0: "\(name) holds more than \(limit >> 20) MiB, the most read"
        case .tooLarge(let limit): "\(name) holds more than \(limit) bytes, the most read"
        }
    }
}

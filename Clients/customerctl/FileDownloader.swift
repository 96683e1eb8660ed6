import CustomerClient
import Foundation
import Hashing
#if canImport(Glibc)
import Glibc
#endif

/// `files download`: the content goes to standard output or, with `--to PATH`, to a temporary
/// file beside PATH that is renamed to PATH only once the whole content arrived and its size and
/// SHA-256 match what the server announced. A download that fails, is cut short or arrives
/// damaged leaves PATH as it was (absent, or the earlier file), never a partial file under its name.
enum FileDownloader {
    /// A download that could not be kept: its target could not be written, or what arrived is
    /// not what the server announced (exit status 1, a local failure).
    struct DownloadError: Error, CustomStringConvertible {
        let description: String
    }

    static func download(id: Int64, to path: String?, invocation: Invocation) async throws {
        let chunks = invocation.client.files.download(id: id, options: invocation.callOptions)
        guard let path else {
            for try await chunk in chunks { try StandardOutput.write(chunk.data) }
            return
        }
        let url = URL(fileURLWithPath: path)
        // Beside the target, so the rename stays in one file system and is atomic (rename(2)).
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UInt32.random(in: .min ... .max)).download").path
        // O_EXCL: never write into a file that is already there; 0666 less the umask, as any new file.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw DownloadError(description: "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            var hasher = SHA256()
            var size: Int64 = 0
            var announced: (size: Int64, sha256: String)?
            for try await chunk in chunks {
                if let announcedSize = chunk.size, let announcedHash = chunk.sha256 {
                    announced = (announcedSize, announcedHash)
                }
                chunk.data.withUnsafeBytes { hasher.update($0) }
                size += Int64(chunk.data.count)
                try handle.write(contentsOf: chunk.data)
            }
            try handle.synchronize()
            try handle.close()
            let received = hasher.finalizeHex()
            guard let announced else {
                throw DownloadError(description: "the server did not announce the size and SHA-256 of file \(id); "
                    + "\(path) was not written")
            }
            guard announced.size == size, announced.sha256 == received else {
                throw DownloadError(description: "file \(id) arrived damaged (\(size) bytes, SHA-256 \(received); "
                    + "announced \(announced.size) bytes, \(announced.sha256)); \(path) was not written")
            }
            guard rename(temporary, path) == 0 else {
                throw DownloadError(description: "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }
}

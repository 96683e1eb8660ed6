import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension BlobStore {
    /// Copies the blob `sha256` from `source` into this store, checking on the way that its
    /// content still hashes to its name and has `size` bytes; written to a temporary file, synced,
    /// then renamed into place (`place`), so a copy cut off midway leaves no blob under the name.
    ///
    /// - Returns: false when `source` has no such blob (nothing is written then).
    /// - Throws: `dataLoss` when the content does not match; `io` or `resourceExhausted` from writing.
    func copy(sha256: String, size: Int64, from source: BlobStore) throws -> Bool {
        let temporary = try makeTemporaryFile()
        var isPlaced = false
        defer {
            if !isPlaced { try? FileSystem.removeFile(temporary.path) }
        }
        let content: BlobContent?
        do {
            defer { close(temporary.descriptor) }
            content = try source.read(sha256: sha256, chunkSize: Self.hashingChunkSize) { chunk in
                try chunk.withUnsafeBytes { try FileSystem.writeAll(temporary.descriptor, $0, path: temporary.path) }
            }
            if content != nil { try FileSystem.call("fsync", temporary.path) { fsync(temporary.descriptor) } }
        }
        guard let content else { return false }
        guard content == BlobContent(size: size, sha256: sha256) else {
            throw StoreError.dataLoss(
                "stored file content \(source.path(of: sha256)) no longer matches its name and size "
                    + "(\(content.size) bytes read, \(size) recorded)")
        }
        _ = try place(temporaryPath: temporary.path, sha256: sha256, size: size, existingIsIntact: false)
        isPlaced = true
        return true
    }
}

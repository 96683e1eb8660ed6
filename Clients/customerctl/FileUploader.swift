import CommandLineKit
import CustomerClient
import Foundation
import Hashing

/// Streams a file from disk: one pass to hash it (the header carries size and SHA-256), one to send it.
enum FileUploader {
    static func upload(
        path: String, customerID: Int64, projectID: Int64?, name: String, contentType: String?, invocation: Invocation
    ) async throws -> FileInfo {
        // One descriptor for both passes, of a regular file only (`InputFile`): a pipe cannot be
        // read twice, a FIFO opened twice waited for a second writer, /dev/zero never ended.
        let reading = try await InputFile.open(path, for: .readTwice).handle()
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try reading.read(upToCount: Files.chunkSize), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
            size += Int64(chunk.count)
        }
        let header = UploadFileMessage.Header(
            customerId: customerID, projectId: projectID, name: name, size: size, sha256: hasher.finalizeHex(), contentType: contentType)
        return try await invocation.client.files.upload(header, options: invocation.callOptions) { send in
            // From the start each time: the client library sends the upload again under its key while it fails UNAVAILABLE.
            try reading.seek(toOffset: 0)
            while let chunk = try reading.read(upToCount: Files.chunkSize), !chunk.isEmpty {
                try await send(chunk)
            }
        }
    }
}

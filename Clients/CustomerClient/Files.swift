import Foundation
import Hashing

/// `customer.v1.FileService` as Swift calls: uploads in chunks, downloads as a stream.
public struct Files: Sendable {
    let channel: ClientChannel

    /// Chunk size of uploads: well under the protocol's frame limit, large enough to keep syscalls few.
    public static let chunkSize = 256 * 1024

    /// Uploads `data` to the customer (or one of its projects); the server checks size and SHA-256.
    public func upload(
        customerID: Int64, projectID: Int64? = nil, name: String, data: Data, contentType: String? = nil,
        options: CallOptions = CallOptions()
    ) async throws -> FileInfo {
        var hasher = SHA256()
        data.withUnsafeBytes { hasher.update($0) }
        let header = UploadFileMessage.Header(
            customerId: customerID, projectId: projectID, name: name, size: Int64(data.count),
            sha256: hasher.finalizeHex(), contentType: contentType)
        return try await upload(header, options: options) { send in
            var offset = 0
            while offset < data.count {
                let end = min(offset + Self.chunkSize, data.count)
                try await send(data.subdata(in: offset..<end))
                offset = end
            }
        }
    }

    /// Uploads with a header the caller built and chunks the caller produces, for streaming a file
    /// from disk (and for tests that stop half-way).
    ///
    /// The call carries an idempotency key (a new one when `options` has none) and runs again with
    /// the same key while it fails UNAVAILABLE, so `chunks` must be able to produce the same
    /// content again from its start (split as it likes: the key covers the header and the content).
    public func upload(
        _ header: UploadFileMessage.Header, options: CallOptions = CallOptions(),
        chunks: (_ send: (Data) async throws -> Void) async throws -> Void
    ) async throws -> FileInfo {
        try await channel.keyedRetries(options) { keyed in
            try await channel.clientStreaming(FileService.uploadFile, as: FileInfo.self, options: keyed) {
                (sender: ClientStreamSender<UploadFileMessage>) in
                try await sender.send(UploadFileMessage(header: header))
                try await chunks { chunk in try await sender.send(UploadFileMessage(data: chunk)) }
            }
        }
    }

    /// The file's content, streamed in chunks.
    public func download(id: Int64, options: CallOptions = CallOptions()) -> ServerStreamResponse<FileChunk> {
        channel.call(FileService.downloadFile, FileIDRequest(id: id), options: options)
    }

    public func rename(id: Int64, to name: String, options: CallOptions = CallOptions()) async throws -> FileInfo {
        try await channel.call(FileService.renameFile, RenameRequest(id: id, name: name), options: options)
    }

    @discardableResult
    public func remove(id: Int64, options: CallOptions = CallOptions()) async throws -> FilesTab {
        try await channel.call(FileService.removeFile, FileIDRequest(id: id), options: options)
    }

    public func addLink(customerID: Int64, projectID: Int64? = nil, url: String, title: String, options: CallOptions = CallOptions())
        async throws -> Link
    {
        try await channel.call(
            FileService.addLink, AddLinkRequest(customerId: customerID, projectId: projectID, url: url, title: title), options: options)
    }

    public func renameLink(id: Int64, to title: String, options: CallOptions = CallOptions()) async throws -> Link {
        try await channel.call(FileService.renameLink, RenameRequest(id: id, name: title), options: options)
    }

    @discardableResult
    public func removeLink(id: Int64, options: CallOptions = CallOptions()) async throws -> FilesTab {
        try await channel.call(FileService.removeLink, FileIDRequest(id: id), options: options)
    }

    /// Customer files and links and those of its projects.
    public func list(customerID: Int64, options: CallOptions = CallOptions()) async throws -> FilesTab {
        try await channel.call(FileService.listFiles, CustomerIDRequest(customerId: customerID), options: options)
    }
}

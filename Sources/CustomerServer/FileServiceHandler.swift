import CustomerAPI
import CustomerStore
import Foundation
import Hashing
import RPCServing

/// Serves `customer.v1.FileService`: uploads arrive as a client stream (a header, then chunks)
/// and are checked against the announced size and SHA-256 before anything is kept; downloads
/// leave as a server stream.
struct FileServiceHandler: GuardedService {
    var store: CustomerStore
    /// Largest file accepted, in bytes.
    let uploadLimit: Int64

    /// Download chunk size: small enough to interleave with other calls on the connection.
    static let downloadChunkSize = 64 * 1024
    /// What a `FileChunk` holding only `data` adds to its bytes: field 1's tag (1 byte) and its
    /// length varint (at most 5 bytes below 2^32).
    static let chunkMessageOverhead = 6

    /// The chunk size for a client that takes messages of at most `maxMessageBytes` (its HELLO's
    /// max frame size, at least 16 KiB): a client may announce less than a 64 KiB chunk needs,
    /// and a chunk over its limit would end the download `RESOURCE_EXHAUSTED` (spec29).
    static func downloadChunkSize(maxMessageBytes: Int) -> Int {
        max(1, min(downloadChunkSize, maxMessageBytes - chunkMessageOverhead))
    }

    func register(with router: inout GuardedRouter) {
        // Keys are looked at only where the router serves them (see `GuardedRouter.keyedWrites`).
        let takesKeys = router.keyedWrites != nil
        router.register(
            clientStreaming: FileService.uploadFile, opening: "header",
            first: { (message: UploadFileMessage, _) -> UploadFileMessage.Header in
                guard let header = message.header, message.data == nil else {
                    throw message.header == nil
                        ? RPCError(.invalidArgument, field: "header", "required in the first message of an upload")
                        : RPCError(.invalidArgument, field: "data", "not in the first message of an upload, which carries only the header")
                }
                return header
            },
            requires: .customers(.edit, customer: \.customerId)
        ) { (header: UploadFileMessage.Header, messages: ClientStreamReader<UploadFileMessage>, context) -> CustomerAPI.FileInfo in
            let caller = try Caller.of(context)
            let key = takesKeys ? try KeyedWrites.key(of: context) : nil
            // The upload's row is written through `answering`: its admission is asked last before the
            // COMMIT, so an upload whose call the server ended while it waited for the writer
            // (DEADLINE_EXCEEDED, a CANCEL) keeps nothing (see ImportCustomers).
            let upload = try store.answering(context).beginUpload(
                customerID: header.customerId, projectID: header.projectId, name: header.name,
                contentType: header.contentType, expectedSize: header.size, expectedSHA256: header.sha256,
                limit: uploadLimit, by: caller.author)
            // Whatever ends this call early (the client cancelling or disconnecting, a bad chunk,
            // the deadline) aborts the upload, so an interrupted upload leaves nothing behind.
            do {
                while let message = try messages.next() {
                    guard message.header == nil, let data = message.data else {
                        throw message.header != nil
                            ? RPCError(.invalidArgument, field: "header", "only in the first message of an upload")
                            : RPCError(.invalidArgument, field: "data", "required in every message of an upload after the first")
                    }
                    try context.checkCancellation()
                    try data.withUnsafeBytes { try upload.append($0) }
                }
                try context.checkCancellation()
                guard let key else { return CustomerAPI.FileInfo(try upload.finish()) }
                return try Self.finish(upload, key: key, header: header, context)
            } catch {
                upload.abort()
                throw error
            }
        }
        router.register(FileService.downloadFile, requires: .customers(.read, record: { .file(id: $0.id) })) { request, writer, context in
            _ = try Caller.of(context)
            // A file's content never changes (a new upload is a new file), so what this announces
            // is what readFile checks the stream against.
            let file = try store.file(id: request.id)
            try writer.send(FileChunk(data: Data(), size: file.size, sha256: file.sha256))
            let chunkSize = Self.downloadChunkSize(maxMessageBytes: writer.maxMessageBytes)
            _ = try store.readFile(id: request.id, chunkSize: chunkSize) { bytes in
                try context.checkCancellation()
                try writer.send(FileChunk(data: Data(bytes)))
            }
        }
        router.register(FileService.renameFile, requires: .customers(.edit, record: { .file(id: $0.id) })) { request, context in
            let caller = try Caller.of(context)
            return CustomerAPI.FileInfo(try store.answering(context).renameFile(id: request.id, name: request.name, by: caller.author))
        }
        router.register(FileService.removeFile, requires: .customers(.edit, record: { .file(id: $0.id) })) { request, context in
            let caller = try Caller.of(context)
            let removed = try store.answering(context).removeFile(id: request.id, by: caller.author)
            return try filesTab(customerID: removed.customerID)
        }
        router.register(FileService.addLink, requires: .customers(.edit, customer: \.customerId)) { request, context in
            let caller = try Caller.of(context)
            return CustomerAPI.Link(
                try store.answering(context).addLink(
                    customerID: request.customerId, projectID: request.projectId, url: request.url, title: request.title,
                    by: caller.author))
        }
        router.register(FileService.renameLink, requires: .customers(.edit, record: { .link(id: $0.id) })) { request, context in
            let caller = try Caller.of(context)
            return CustomerAPI.Link(try store.answering(context).renameLink(id: request.id, title: request.name, by: caller.author))
        }
        router.register(FileService.removeLink, requires: .customers(.edit, record: { .link(id: $0.id) })) { request, context in
            let caller = try Caller.of(context)
            let removed = try store.answering(context).removeLink(id: request.id, by: caller.author)
            return try filesTab(customerID: removed.customerID)
        }
        router.register(FileService.listFiles, requires: .customers(.read, customer: \.customerId)) { request, context in
            _ = try Caller.of(context)
            return try filesTab(customerID: request.customerId)
        }
    }

    /// Finishes an upload sent with an idempotency key: the request its key stands for is the
    /// header as the server decoded it (re-encoded, as a unary request is) and the content's
    /// SHA-256, so how the client split the content into chunks does not count.
    private static func finish(_ upload: FileUpload, key: String, header: UploadFileMessage.Header,
                               _ context: ServerContext) throws -> CustomerAPI.FileInfo {
        let method = FileService.uploadFile
        let outcome = try upload.finish(claim: { sha256 in
            var fingerprint = SHA256()
            fingerprint.update(try KeyedWrites.encode(header, of: "the upload's header"))
            fingerprint.update(Array(sha256.utf8))
            return try KeyedWrites.streamClaim(method, key: key, fingerprint: fingerprint, context)
        }, answer: { try KeyedWrites.encode(CustomerAPI.FileInfo($0), of: method.fullName) })
        switch outcome {
        case .ran(let file): return CustomerAPI.FileInfo(file)
        case .earlier(let earlier): return try KeyedWrites.earlier(earlier, of: method.fullName)
        }
    }

    private func filesTab(customerID: Int64) throws -> FilesTab {
        FilesTab(files: try store.files(customerID: customerID), links: try store.links(customerID: customerID))
    }
}

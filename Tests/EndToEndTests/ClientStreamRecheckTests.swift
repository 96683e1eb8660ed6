import CustomerClient
import Foundation
import Hashing
import TestSupport
import Testing

/// A client stream whose user loses the right while it sends: the server checks the caller again
/// on every message it receives (`GuardedRouter`, `CallerStanding`), so the call is refused at its
/// next message with the refusal a new call would get, and nothing of it is kept (guard23,
/// `contrib/hostile/standing_races.py --only upload`). Before, the upload and the import ran to
/// their end and the writer refused their write (`ABORTED` "the rights of user N changed…").
@Suite struct ClientStreamRecheckTests {
    static let userUID: UInt32 = 4614

    /// The header announcing an upload of `content` as `name` to the customer `customerID`.
    private static func header(of content: Data, named name: String, to customerID: Int64) -> UploadFileMessage.Header {
        var hasher = SHA256()
        content.withUnsafeBytes { hasher.update($0) }
        return UploadFileMessage.Header(customerId: customerID, name: name, size: Int64(content.count), sha256: hasher.finalizeHex())
    }

    /// An Administrator-profile user (not an administrator) uploading 1 MiB moved to Read only
    /// after its first chunk: `PERMISSION_DENIED` naming the right, no file listed and nothing
    /// left in the file store (no blob, no temporary file). The change waits for the upload's
    /// temporary file: a change before the upload began is refused at its header (the test below).
    @Test func anUploadWhoseUserWasMovedToReadOnlyMidStreamIsRefusedAndLeavesNoFile() async throws {
        try await withServer { server, admin in
            _ = try await admin.users.add(uid: Self.userUID, name: "uploader", isAdministrator: false, profile: "Administrator")
            let customer = try await admin.customers.create(CustomerFields(name: "Uploads Oy"))
            let content = SettingsAndFilesTests.pseudoRandomBytes(count: 1024 * 1024)
            let header = Self.header(of: content, named: "late.bin", to: customer.id)
            let client = server.client(asUID: Self.userUID)
            defer { client.close() }
            let refusal = await #expect(throws: RPCError.self) {
                _ = try await client.files.upload(header) { send in
                    let chunk = 64 * 1024
                    try await send(content.subdata(in: 0..<chunk))
                    try await waitUntil("the upload to have begun") {
                        try !SettingsAndFilesTests.blobsAndTemporaryFiles(beside: server.databasePath).isEmpty
                    }
                    _ = try await admin.users.setProfile(user: "uploader", profile: "Read only")
                    for offset in stride(from: chunk, to: content.count, by: chunk) {
                        try await send(content.subdata(in: offset..<offset + chunk))
                    }
                }
            }
            #expect(refusal?.code == .permissionDenied, "\(String(describing: refusal))")
            #expect(refusal?.message.contains("nothing of it was kept") == true, "\(String(describing: refusal))")
            #expect(try await admin.files.list(customerID: customer.id).files.isEmpty)
            #expect(try SettingsAndFilesTests.blobsAndTemporaryFiles(beside: server.databasePath).isEmpty)
        }
    }

    /// The same user deactivated, or moved to Read only, after its upload's call started (its
    /// caller checked as the server took the call) but before its header arrived: refused at the
    /// header with the words any call gets now, `UNAUTHENTICATED` or `PERMISSION_DENIED` naming
    /// the right, and nothing kept (share25). Before, the upload began with the caller as the call
    /// started and the store's check of its author refused it (`ABORTED` "the rights of user N
    /// changed …"; `UNAUTHENTICATED` "… was deactivated while this call waited to write").
    @Test(arguments: ["deactivated", "Read only"])
    func anUploadWhoseUserChangedBeforeItsHeaderIsRefusedInTheRightsWords(change: String) async throws {
        try await withServer { server, admin in
            _ = try await admin.users.add(uid: Self.userUID, name: "uploader", isAdministrator: false, profile: "Administrator")
            let customer = try await admin.customers.create(CustomerFields(name: "Uploads Oy"))
            let content = Data("changed before it began".utf8)
            let header = Self.header(of: content, named: "early.txt", to: customer.id)
            let client = server.client(asUID: Self.userUID)
            defer { client.close() }
            let refusal = await #expect(throws: RPCError.self) {
                _ = try await client.channel.clientStreaming(FileService.uploadFile, as: FileInfo.self) {
                    (sender: ClientStreamSender<UploadFileMessage>) in
                    // The server counts the call once it took it; its caller is checked as it runs.
                    try await waitUntil("the upload's call to be taken") { try await admin.server.info().callsInFlight >= 2 }
                    try await RightsChange.make(change, to: "uploader", by: admin)
                    try await sender.send(UploadFileMessage(header: header))
                    try await sender.send(UploadFileMessage(data: content))
                }
            }
            #expect(refusal?.code == RightsChange.refusal(of: change), "\(String(describing: refusal))")
            let words = change == "deactivated" ? "user 'uploader' (uid \(Self.userUID)) is deactivated" : "UploadFile needs the right '"
            #expect(refusal?.message.contains(words) == true, "\(String(describing: refusal))")
            #expect(refusal?.message.hasSuffix("; the call ended after 1 messages of its stream, and nothing of it was kept") == true,
                    "\(String(describing: refusal))")
            #expect(try await admin.files.list(customerID: customer.id).files.isEmpty)
            #expect(try SettingsAndFilesTests.blobsAndTemporaryFiles(beside: server.databasePath).isEmpty)
        }
    }

    /// An import by the same user deactivated after its second batch (once the server spooled it,
    /// so the call is known to run): `UNAUTHENTICATED`, no customer imported, its spool gone; and
    /// one moved to Read only: `PERMISSION_DENIED`.
    @Test(arguments: ["deactivated", "Read only"])
    func anImportWhoseUserLostTheRightMidStreamIsRefusedAndImportsNothing(change: String) async throws {
        try await withServer { server, admin in
            _ = try await admin.users.add(uid: Self.userUID, name: "importer", isAdministrator: false, profile: "Administrator")
            let client = server.client(asUID: Self.userUID)
            defer { client.close() }
            let refusal = await #expect(throws: RPCError.self) {
                _ = try await client.customers.importRecords(ImportOptions()) { send in
                    try await send((0..<100).map { CustomerRecord(line: Int64($0 + 2), fields: CustomerFields(name: "Early \($0) Oy")) })
                    try await send((0..<100).map { CustomerRecord(line: Int64($0 + 102), fields: CustomerFields(name: "Spooled \($0) Oy")) })
                    try await waitUntil("the second batch to be spooled") { server.app.importSpoolBytes > 0 }
                    try await RightsChange.make(change, to: "importer", by: admin)
                    try await send((0..<100).map { CustomerRecord(line: Int64($0 + 202), fields: CustomerFields(name: "Late \($0) Oy")) })
                }
            }
            #expect(refusal?.code == RightsChange.refusal(of: change), "\(String(describing: refusal))")
            #expect(refusal?.message.contains("nothing of it was kept") == true, "\(String(describing: refusal))")
            #expect(try await admin.customers.list(CustomerQuery(status: .all), limit: 10).customers.isEmpty)
            #expect(server.app.importSpoolBytes == 0)
        }
    }
}

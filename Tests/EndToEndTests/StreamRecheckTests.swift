import CustomerClient
import Foundation
import RPCClient
import Testing

/// A server stream started before its user's deactivation or a move to own scope, read on after
/// the change was acknowledged: it ends at its next message, with the refusal a new call would get
/// (`UNAUTHENTICATED` deactivated, `PERMISSION_DENIED` shown less), instead of delivering to its
/// end what the user may no longer read (standing22, `contrib/hostile/standing_races.py --only
/// streams`; before, all 3 000 customers arrived, OK). The customers are more than the client's
/// receive window holds, so the server is still sending when the change comes. `DownloadFile`
/// likewise (guard23, `--only download`: before, the whole file arrived, OK).
@Suite struct StreamRecheckTests {
    static let salesUID: UInt32 = 4613
    static let customers = 3_000

    enum Kind: String, CaseIterable, Sendable { case stream, export, snapshot }
    enum Change: String, CaseIterable, Sendable { case deactivated, movedToOwnScope }

    @Test(arguments: Kind.allCases, Change.allCases)
    func aStreamReadOnAfterItsUsersRightsWereTakenEndsAtItsNextMessage(kind: Kind, change: Change) async throws {
        try await withServer { server, admin in
            _ = try await admin.users.add(uid: Self.salesUID, name: "sales", isAdministrator: false, profile: "Sales")
            // About 200 bytes a customer: 600 KB in all, past the 256 KiB window.
            let padding = String(repeating: "x", count: 180)
            _ = try await admin.customers.importRecords(ImportOptions()) { send in
                for batch in stride(from: 0, to: Self.customers, by: 1_000) {
                    try await send((batch..<batch + 1_000).map {
                        CustomerRecord(line: Int64($0 + 2), fields: CustomerFields(name: "Row \($0) \(padding)"))
                    })
                }
            }
            let client = server.client(asUID: Self.salesUID)
            defer { client.close() }
            let take = {
                switch change {
                case .deactivated: _ = try await admin.users.deactivate(user: "sales")
                case .movedToOwnScope: _ = try await admin.users.setProfile(user: "sales", profile: "Consultant")
                }
            }
            let (received, ending) = switch kind {
            case .stream: try await Self.read(client.customers.stream(), takingRightsWith: take)
            case .export: try await Self.read(client.customers.export(), takingRightsWith: take)
            case .snapshot: try await Self.read(client.changes.snapshot(), takingRightsWith: take)
            }
            #expect(received < Self.customers, "every customer delivered after the change")
            #expect(ending?.code == (change == .deactivated ? .unauthenticated : .permissionDenied), "\(String(describing: ending))")
            #expect(ending?.message.contains("the stream ended after") == true, "\(String(describing: ending))")
        }
    }

    /// A 4 MiB file (64 chunks, 16 times the client's window) downloaded by a Sales user who is
    /// deactivated, or moved to Consultant (own scope: the file's customer is not its own), after
    /// the first chunk: the download ends before the file's end, `UNAUTHENTICATED` or
    /// `PERMISSION_DENIED`. Moved to Read only (which may read every customer's files), it goes on
    /// to the end.
    @Test(arguments: ["deactivated", "Consultant", "Read only"])
    func aDownloadReadOnAfterItsUsersRightsWereTakenEndsAtItsNextChunk(change: String) async throws {
        try await withServer { server, admin in
            _ = try await admin.users.add(uid: Self.salesUID, name: "sales", isAdministrator: false, profile: "Sales")
            let customer = try await admin.customers.create(CustomerFields(name: "Files Oy"))
            let content = SettingsAndFilesTests.pseudoRandomBytes(count: 4 * 1024 * 1024)
            let file = try await admin.files.upload(customerID: customer.id, name: "big.bin", data: content)
            let client = server.client(asUID: Self.salesUID)
            defer { client.close() }
            let (received, ending) = try await Self.read(client.files.download(id: file.id)) {
                try await RightsChange.make(change, to: "sales", by: admin)
            }
            // The server's chunks are 64 KiB (`FileServiceHandler.downloadChunkSize`), after one
            // message announcing the size.
            let chunks = content.count / (64 * 1024)
            switch change {
            case "Read only":
                #expect(ending == nil, "\(String(describing: ending))")
                #expect(received == chunks + 1)
            default:
                #expect(received < chunks + 1, "the whole file delivered after the change")
                #expect(ending?.code == RightsChange.refusal(of: change), "\(String(describing: ending))")
                #expect(ending?.message.contains("the stream ended after") == true, "\(String(describing: ending))")
            }
        }
    }

    /// Reads the first message, takes the rights, reads on: the messages received in all, and the
    /// error the stream ended with (nil when it ended OK).
    static func read<Element>(_ stream: ServerStreamResponse<Element>,
                              takingRightsWith take: () async throws -> Void) async throws -> (Int, RPCError?) {
        var messages = stream.makeAsyncIterator()
        _ = try #require(try await messages.next())
        try await take()
        var received = 1
        do {
            while try await messages.next() != nil { received += 1 }
        } catch let error as RPCError {
            return (received, error)
        }
        return (received, nil)
    }
}

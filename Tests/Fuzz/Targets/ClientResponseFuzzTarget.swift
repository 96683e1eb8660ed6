import BinaryCoding
import CustomerAPI
import RPCCore

/// Fuzz target (i): what the Swift client decodes, every response message of the customer API.
///
/// A hostile server (another process bound to a socket path the client trusted) answers anything:
/// the client must throw, never trap. Input: one byte choosing the response type (each method's
/// output, each server stream's message, the client streams' answers), then the bytes, decoded
/// as `ClientChannel` decodes them (`BinaryDecoder`, which takes a hot message's own reader). A
/// message that decodes must survive encoding and decoding again, as the `decoder` target checks.
enum ClientResponseFuzzTarget {
    /// Every message a customer method answers (a test checks this against Protocol/CustomerAPI), and
    /// those of the services every server offers: `customerctl call` reads the schema a server
    /// describes (`DescribeServicesResponse`) before anything else.
    static let responseTypes: [any (Codable & Sendable).Type] = [
        Activity.self, ActivityList.self, Address.self, AddressList.self, BackupResponse.self, ChangeEvent.self,
        CollaborationNote.self, CollaborationTab.self, Contact.self, ContactDossier.self, ContactList.self,
        Customer.self, CustomerCard.self, CustomerDossier.self, CustomerRecord.self, CustomerSettings.self,
        DeleteActivityResponse.self, DeleteCustomerResponse.self, DeleteLabelResponse.self, FeedBoundsResponse.self,
        FileChunk.self, FileInfo.self, FilesTab.self, FinancialTab.self, FindDuplicatesResponse.self, Forecast.self,
        ForecastList.self, HistoryList.self, Industry.self, IndustryList.self, Invoice.self, InvoiceList.self,
        InvoicingReadiness.self, Label.self, LabelList.self, Link.self, ListCustomersResponse.self,
        ListUsersResponse.self, MailingListEntry.self, MergeCustomersResponse.self, PermissionProfile.self,
        ProfileList.self, Project.self, ProjectList.self, ProjectTask.self, RefreshFromRegistryResponse.self,
        Segment.self, SegmentList.self, SnapshotCustomer.self, StoreStatusResponse.self, User.self,
        ImportCustomersResponse.self,
        HealthCheckResponse.self, ListServicesResponse.self, DescribeServicesResponse.self, ServerInfoResponse.self,
    ]

    static func run(_ input: UnsafeRawBufferPointer) {
        guard let selector = input.first else { return }
        let type = responseTypes[Int(selector) % responseTypes.count]
        DecoderFuzzTarget.roundTrip(type, Array(input.dropFirst()))
    }

    /// The input for `message` of `type`: the selector byte, then the message.
    static func input(_ type: Any.Type, message: [UInt8]) -> [UInt8] {
        let index = responseTypes.firstIndex { ObjectIdentifier($0) == ObjectIdentifier(type) } ?? 0
        return [UInt8(truncatingIfNeeded: index)] + message
    }

    /// The `responses` target's samples of the response messages both targets read, and each golden
    /// vector as a message of every seventh type.
    static func seeds(vectors: [[UInt8]]) -> [[UInt8]] {
        let samples = ResponseFuzzTarget.sampleMessages().compactMap { sample -> [UInt8]? in
            guard let selector = sample.first else { return nil }
            let type = ResponseFuzzTarget.responseTypes[Int(selector) % ResponseFuzzTarget.responseTypes.count].type
            guard responseTypes.contains(where: { ObjectIdentifier($0) == ObjectIdentifier(type) }) else { return nil }
            return input(type, message: Array(sample.dropFirst()))
        }
        let shaped = vectors.enumerated().flatMap { index, vector in
            stride(from: index, to: responseTypes.count, by: 7).map { [UInt8(truncatingIfNeeded: $0)] + vector }
        }
        return samples + shaped
    }
}

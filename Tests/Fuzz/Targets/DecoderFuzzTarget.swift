import BinaryCoding
import CustomerAPI
import RPCCore

/// Fuzz target (a): the BinaryDecoder on every request message of the customer API.
///
/// Input: one byte choosing the message type, then the bytes to decode. A message that decodes must
/// encode, and its encoding must decode and encode to the same bytes: a decoder that accepts what
/// the encoder cannot reproduce would be a bug as real as a trap.
enum DecoderFuzzTarget {
    /// Every message a customer method takes (a test checks this against Protocol/CustomerAPI), and
    /// those of the services every server offers (health, reflection, server information).
    static let requestTypes: [any (Codable & Sendable).Type] = [
        AddAddressRequest.self, AddCollaborationNoteRequest.self, AddEventRequest.self, AddLinkRequest.self,
        AddNoteRequest.self, AddProjectTaskRequest.self, AddTaskRequest.self, AddUserRequest.self,
        AddressIDRequest.self, BackupRequest.self, ContactIDRequest.self, CreateContactRequest.self, CreateCustomerRequest.self,
        CreateLabelRequest.self, CreateProfileRequest.self, CreateProjectRequest.self, CreateSegmentRequest.self,
        CustomerIDRequest.self, DeleteActivityRequest.self, DeleteContactRequest.self, DeleteCustomerRequest.self,
        DeleteLabelRequest.self,
        DeleteSegmentRequest.self, EmptyRequest.self, FileIDRequest.self, ForecastMonthRequest.self,
        GetCustomerCardRequest.self, GetCustomerRequest.self, GetFinancialSummaryRequest.self, GetProfileRequest.self,
        IndustryRequest.self, InvoiceIDRequest.self, IssueInvoiceRequest.self, ListContactsRequest.self,
        ListCustomersRequest.self, ListHistoryRequest.self, ListLabelsRequest.self, ListProfilesRequest.self,
        ListProjectsRequest.self, ListUsersRequest.self, LoseSalesCaseRequest.self, MailingListRequest.self,
        ProjectIDRequest.self, RefreshFromRegistryRequest.self, RenameLabelRequest.self, RenameRequest.self,
        SetCustomerActiveRequest.self, SetCustomerSegmentsRequest.self, SetForecastRequest.self,
        SetProjectTaskStatusRequest.self, SetTrustedServiceRequest.self, SetUserProfileRequest.self,
        StreamCustomersRequest.self, TagContactRequest.self, TaskIDRequest.self, UpdateActivityRequest.self,
        UpdateAddressRequest.self,
        UpdateContactRequest.self, UpdateCustomerRequest.self, UpdateCustomerSettingsRequest.self,
        UpdateProfileRequest.self, UpdateProjectRequest.self, UpdateSegmentRequest.self, UserNameRequest.self,
        WhoAmIRequest.self, WinSalesCaseRequest.self, UploadFileMessage.self,
        WatchChangesRequest.self,
        FindDuplicatesRequest.self, MergeCustomersRequest.self,
        ListActivitiesRequest.self,
        HealthCheckRequest.self, ListServicesRequest.self, DescribeServicesRequest.self, ServerInfoRequest.self,
    ]

    static func run(_ input: UnsafeRawBufferPointer) {
        guard let selector = input.first else { return }
        let type = requestTypes[Int(selector) % requestTypes.count]
        roundTrip(type, Array(input.dropFirst()))
    }

    /// The input for `message` of `type`: the selector byte, then the message.
    static func input(_ type: any (Codable & Sendable).Type, message: [UInt8]) -> [UInt8] {
        let index = requestTypes.firstIndex { ObjectIdentifier($0) == ObjectIdentifier(type) } ?? 0
        return [UInt8(truncatingIfNeeded: index)] + message
    }

    /// Encoding is canonical, so a decoded value's encoding must decode and encode to the same bytes
    /// (the `client` target checks the response messages by it too).
    static func roundTrip<T: Codable>(_ type: T.Type, _ bytes: [UInt8]) {
        guard let value = try? BinaryDecoder().decode(type, from: bytes) else { return }
        let encoded = try? BinaryEncoder().encode(value)
        let again = encoded.flatMap { try? BinaryEncoder().encode(BinaryDecoder().decode(type, from: $0)) }
        if encoded == nil || again != encoded {
            fatalError("\(type) decoded from \(bytes) does not survive encoding and decoding again")
        }
    }
}

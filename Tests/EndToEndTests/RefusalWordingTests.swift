import BinaryCoding
import CustomerAPI
import CustomerClient
import CustomerStore
import RPCClient
import RPCCore
import Testing

/// What a client written in another language from Protocol/*.md reads when a real server refuses
/// a request: the refused field in the API's words (PROTOCOL.md §6.1's `field: reason`, with its
/// detail), a request it cannot decode in field numbers and the schema's type names, and nowhere
/// Swift's words (a type, `CodingKeys`, an enum case's rendering).
@Suite struct RefusalWordingTests {
    /// What Swift would put in a text that a client in another language cannot know.
    static let swiftWords = ["CodingKeys", "Swift.", "Optional(", "keyNotFound", "typeMismatch", "valueNotFound",
                             "dataCorrupted", "Context(", "Index ", "for String", "for Int", "UInt8", "Int64", "Int32",
                             "Cannot initialize", "from invalid", "StoreError", "SQLite", "SELECT ", "UPDATE ", "INSERT "]

    static func expectInTheWiresWords(_ error: RPCError?, _ call: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error else {
            Issue.record("\(call) was not refused", sourceLocation: sourceLocation)
            return
        }
        for word in swiftWords {
            #expect(!error.message.contains(word), "\(call): \(error.message)", sourceLocation: sourceLocation)
            for detail in error.details {
                #expect(!detail.text.contains(word), "\(call): \(detail.text)", sourceLocation: sourceLocation)
            }
        }
    }

    /// A refused field: its detail, and the message that is the details as `field: reason`.
    static func expectFieldRefusal(
        _ error: RPCError?, _ code: StatusCode, field: String, message: String, _ call: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectInTheWiresWords(error, call, sourceLocation: sourceLocation)
        #expect(error?.code == code, "\(call)", sourceLocation: sourceLocation)
        #expect(error?.message == message, "\(call)", sourceLocation: sourceLocation)
        #expect(error?.details.map(\.field) == [field], "\(call)", sourceLocation: sourceLocation)
        #expect(error?.details.map(\.text).joined(separator: "; ") == error?.message, "\(call)", sourceLocation: sourceLocation)
    }

    @Test func aRefusedFieldIsNamedInTheFieldReasonFormWithItsDetail() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(name: "Wording Oy"))

            let neither = await outcome { _ = try await client.channel.call(CustomerService.getCustomer, GetCustomerRequest()) }
            Self.expectFieldRefusal(neither, .invalidArgument, field: "id",
                                    message: "id: give exactly one of id and number, to name the customer", "GetCustomer")

            let page = await outcome {
                _ = try await client.channel.call(CustomerService.listCustomers, ListCustomersRequest(limit: 5000))
            }
            Self.expectFieldRefusal(page, .invalidArgument, field: "limit",
                                    message: "limit: must be between 1 and 1000, got 5000", "ListCustomers")

            let unconfirmed = await outcome { try await client.customers.delete(id: customer.id, confirm: false) }
            Self.expectFieldRefusal(
                unconfirmed, .failedPrecondition, field: "confirm",
                message: "confirm: deleting customer \(customer.id) cannot be undone: send confirm=true to delete it, "
                    + "or deactivate it instead",
                "DeleteCustomer")

            let orphan = await outcome {
                _ = try await client.channel.call(SettingsService.createSegment, CreateSegmentRequest(name: "Orphan", parentId: 999))
            }
            Self.expectFieldRefusal(orphan, .invalidArgument, field: "parentId",
                                    message: "parentId: no segment has id 999", "CreateSegment")

            let backup = await outcome {
                _ = try await client.channel.call(MaintenanceService.backup, BackupRequest(to: "/tmp/never", pagesPerStep: 0))
            }
            #expect(backup?.message.hasPrefix("pagesPerStep: must be between 1 and ") == true, "\(backup?.message ?? "")")
            Self.expectInTheWiresWords(backup, "Backup")

            var badKey = CallOptions()
            badKey.idempotencyKey = "not a key"
            let keyed = await outcome { _ = try await client.customers.create(CustomerFields(name: "Keyed"), options: badKey) }
            Self.expectFieldRefusal(
                keyed, .invalidArgument, field: "idempotency-key",
                message: "idempotency-key: may contain only the letters A-Z and a-z, digits, '-', '_', '.' and ':'", "CreateCustomer")

            let twoFields = await outcome {
                _ = try await client.customers.create(CustomerFields(name: "Two", country: "XX", email: "nobody"))
            }
            Self.expectInTheWiresWords(twoFields, "CreateCustomer")
            #expect(twoFields?.details.map(\.field).sorted() == ["country", "email"])
            #expect(twoFields?.details.map(\.text).joined(separator: "; ") == twoFields?.message)
            #expect(try await client.customers.get(id: customer.id) == customer)
        }
    }

    /// The store's refusals: a record the request names that does not exist, a value taken, a stale
    /// version, a record whose state refuses the call. Each names the request field at fault, as
    /// CUSTOMER-API.md spells it, in the one form; before, they were a sentence without a field.
    @Test func theStoresRefusalsNameTheRequestFieldAtFault() async throws {
        try await withServer { _, client in
            let customer = try await client.customers.create(CustomerFields(number: 4100, name: "Stored Oy"))

            let missing = await outcome { _ = try await client.customers.get(id: 999) }
            Self.expectFieldRefusal(missing, .notFound, field: "id", message: "id: customer 999 does not exist", "GetCustomer")
            let noAddresses = await outcome {
                _ = try await client.channel.call(AddressService.listAddresses, CustomerIDRequest(customerId: 999))
            }
            Self.expectFieldRefusal(noAddresses, .notFound, field: "customerId",
                                    message: "customerId: customer 999 does not exist", "ListAddresses")

            let taken = await outcome { _ = try await client.customers.create(CustomerFields(number: 4100, name: "Other Oy")) }
            Self.expectFieldRefusal(taken, .alreadyExists, field: "number", message: "number: is already taken", "CreateCustomer")

            let stale = await outcome {
                _ = try await client.customers.update(id: customer.id, CustomerFields(name: "Stale Oy"), expectedVersion: 7)
            }
            Self.expectFieldRefusal(
                stale, .aborted, field: "expectedVersion",
                message: "expectedVersion: customer \(customer.id) was changed by someone else: expected version 7, "
                    + "current version is \(customer.version); read it again and retry", "UpdateCustomer")

            let parent = try await client.channel.call(SettingsService.createSegment, CreateSegmentRequest(name: "Parent"))
            _ = try await client.channel.call(SettingsService.createSegment, CreateSegmentRequest(name: "Child", parentId: parent.id))
            let withChild = await outcome {
                _ = try await client.channel.call(SettingsService.deleteSegment, DeleteSegmentRequest(id: parent.id, force: true))
            }
            Self.expectFieldRefusal(withChild, .failedPrecondition, field: "id",
                                    message: "id: segment \(parent.id) has 1 sub-segment: delete or move them first", "DeleteSegment")
            #expect(try await client.customers.get(id: customer.id) == customer)
        }
    }

    /// A client stream that ends before its first message is refused on the field that message
    /// leads with (it had no field).
    @Test func aStreamWithoutItsFirstMessageNamesTheFieldItLeadsWith() async throws {
        try await withServer { _, client in
            let empty = await outcome {
                _ = try await client.channel.clientStreamingPayload(FileService.uploadFile) { _ in }
            }
            Self.expectFieldRefusal(empty, .invalidArgument, field: "header",
                                    message: "header: the stream ended before its first message, which carries it", "UploadFile")
        }
    }

    /// A text an enum with `String` raw values has no case for is refused in the decoder's words
    /// (Swift's "Cannot initialize … from invalid String value" is no longer what it starts from).
    @Test func anUnknownEnumTextIsRefusedInTheDecodersWords() async throws {
        try await withServer { _, client in
            // RefreshFromRegistryRequest: customerId (1) = 1, fields (2) = ["nonsense"], dryRun (3) = true.
            let payload: [UInt8] = [0x08, 0x02, 0x12, 0x08] + Array("nonsense".utf8) + [0x18, 0x01]
            let method = CustomerService.refreshFromRegistry.descriptor
            let error = await outcome { _ = try await client.channel.unary(method, payload: payload) }
            Self.expectInTheWiresWords(error, method.fullName)
            #expect(error?.code == .invalidArgument)
            #expect(error?.message == "cannot decode the request message of \(method.fullName): "
                + "field 2 (fields): \"nonsense\" is not a value of the enum RefreshField (at field 2[0])")
        }
    }

    /// A money text of the decimal shape that a Decimal cannot hold exactly is refused, not rounded:
    /// "1." then 40 zeros and "1" passed "at most 4 digits after the point" as 1 and was stored as a
    /// forecast nobody sent (found by contrib/conformance/field_sweep.py).
    @Test func aDecimalTextADecimalCannotHoldIsRefusedNotRounded() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Exact Oy", country: "FI"))
            let project = try await client.projects.createProject(customerID: customer.id, ProjectFields(name: "Roll-out", currency: "EUR"))
            let before = try StoreSnapshot.read(databasePath: server.databasePath)
            func text(_ field: UInt8, _ value: String) -> [UInt8] { [field << 3 | 2, UInt8(value.utf8.count)] + Array(value.utf8) }
            // SetForecastRequest: projectId (1, zigzag), month (2), revenue (3), cost (4), billing (5), hours (6).
            var payload: [UInt8] = [0x08]
            Varint.append(UInt64(project.id) << 1, to: &payload)
            payload += text(2, "2027-01") + text(3, "1." + String(repeating: "0", count: 40) + "1") + text(4, "0") + text(5, "0") + text(6, "0")
            let method = FinancialService.setForecast.descriptor
            let error = await outcome { _ = try await client.channel.unary(method, payload: payload) }
            Self.expectInTheWiresWords(error, method.fullName)
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix("cannot decode the request message of \(method.fullName): field 3: invalid decimal") == true)
            #expect(try StoreSnapshot.read(databasePath: server.databasePath) == before)
        }
    }

    /// A request message the server cannot decode, through the generic decoder and through a hot
    /// message's own reader alike: the field path in numbers, the type as CUSTOMER-API.md names it.
    @Test func anUndecodableRequestIsRefusedInTheWiresWords() async throws {
        try await withServer { _, client in
            let cases: [(MethodDescriptor, [UInt8], String)] = [
                // CreateCustomerRequest whose fields (1) hold a name (2) written as a varint.
                (CustomerService.createCustomer.descriptor, [0x0a, 0x02, 0x10, 0x01],
                 "field 2: expected wire type 2 (length-delimited) for a string, found 0 (varint) at byte offset 3 (at field 1.2)"),
                // GetCustomerRequest whose id (1) is length-delimited.
                (CustomerService.getCustomer.descriptor, [0x0a, 0x01, 0x31],
                 "field 1: expected wire type 0 (varint) for a sint64, found 2 (length-delimited) at byte offset 2 (at field 1)"),
                // CreateCustomerRequest whose fields (1) is a varint.
                (CustomerService.createCustomer.descriptor, [0x08, 0x01],
                 "field 1: expected wire type 2 (length-delimited) for a message, found 0 (varint) at byte offset 1 (at field 1)"),
                // CreateCustomerRequest without its fields (1).
                (CustomerService.createCustomer.descriptor, [], "no field 1 (fields) holding a message"),
                // SetForecastRequest with a project, a month, revenue, cost and hours but no billing (5):
                // named by its number and its name (fuzz30 found the number alone).
                (FinancialService.setForecast.descriptor,
                 [0x08, 0x02, 0x12, 0x07] + Array("2026-01".utf8) + [0x1A, 0x01, 0x31, 0x22, 0x01, 0x31, 0x32, 0x01, 0x31],
                 "no field 5 (billing) in the message"),
            ]
            for (method, payload, text) in cases {
                let error = await outcome { _ = try await client.channel.unary(method, payload: payload) }
                Self.expectInTheWiresWords(error, method.fullName)
                #expect(error?.code == .invalidArgument)
                #expect(error?.message == "cannot decode the request message of \(method.fullName): \(text)")
            }
            let customers = try await client.customers.list().customers
            #expect(customers.isEmpty)
        }
    }
}

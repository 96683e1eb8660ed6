import BinaryCoding
import CustomerAPI
import Foundation
@_spi(Fuzzing) import RPCTransport
import RPCServing

/// The seed inputs of each target: the golden vectors of Protocol/vectors/ and a few valid requests,
/// each put in the target's input shape.
enum FuzzSeeds {
    /// The repository's root, from this file's place in it (Tests/Fuzz/Targets/).
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The golden vectors: hex bytes, `#` comment lines ignored.
    static func vectors() -> [[UInt8]] {
        let directory = repository.appendingPathComponent("Protocol/vectors")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".hex") }.sorted().compactMap { name in
            guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else { return nil }
            let hex = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined().filter(\.isHexDigit)
            return stride(from: 0, to: hex.count - 1, by: 2).compactMap { offset in
                let start = hex.index(hex.startIndex, offsetBy: offset)
                return UInt8(hex[start...hex.index(after: start)], radix: 16)
            }
        }
    }

    /// Valid requests, with the method each is for (a decimal at the end of its range among them).
    static func requests() -> [(method: MethodDescriptor, type: any (Codable & Sendable).Type, message: [UInt8])] {
        func entry<T: Codable & Sendable>(_ method: MethodDescriptor, _ request: T) -> (MethodDescriptor, any (Codable & Sendable).Type, [UInt8]) {
            (method, T.self, (try? BinaryEncoder().encode(request)) ?? [])
        }
        let fields = CustomerFields(number: 1001, name: "Acme Oy", accountManager: "fuzzer", vatNumber: "FI01120389",
                                    country: "FI", email: "info@acme.example", website: "https://acme.example")
        let day = Date(timeIntervalSince1970: 1_800_000_000)
        // From text: a Decimal literal goes through Double and is not exact.
        func decimal(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? 0 }
        return [
            entry(CustomerService.createCustomer.descriptor, CreateCustomerRequest(fields: fields)),
            entry(CustomerService.updateCustomer.descriptor, UpdateCustomerRequest(id: 1, expectedVersion: 1, fields: fields)),
            entry(CustomerService.getCustomer.descriptor, GetCustomerRequest(id: 1)),
            entry(CustomerService.listCustomers.descriptor,
                  ListCustomersRequest(query: CustomerQuery(status: .all, changedSince: day), limit: 10)),
            entry(ActivityService.addTask.descriptor, AddTaskRequest(customerId: 1, subject: "Call", dueDate: day)),
            entry(ActivityService.addEvent.descriptor, AddEventRequest(customerId: 1, subject: "Visit", startsAt: day, endsAt: day)),
            entry(ProjectService.createProject.descriptor, CreateProjectRequest(
                customerId: 1, kind: .salesCase, fields: ProjectFields(name: "Deal", probability: 50, expectedValue: decimal("12500.5")))),
            entry(FinancialService.setForecast.descriptor, SetForecastRequest(
                projectId: 1, month: "2026-12", revenue: 1000, cost: decimal("0.0001"), billing: decimal("999999999999999.9999"),
                hours: decimal("7.5"))),
            entry(InvoiceService.issueInvoice.descriptor, IssueInvoiceRequest(customerId: 1, total: decimal("-99.95"), currency: "EUR")),
            // Out of range (docs/HARDENING.md): refused by field, never a trap.
            entry(CustomerService.listCustomers.descriptor, ListCustomersRequest(
                query: CustomerQuery(status: .all, changedSince: Date(timeIntervalSinceReferenceDate: .nan)), limit: Int32.max)),
            entry(ActivityService.addEvent.descriptor, AddEventRequest(
                customerId: -1, subject: "\u{202E}\u{0}\u{FEFF}", startsAt: Date(timeIntervalSinceReferenceDate: .infinity),
                endsAt: Date(timeIntervalSinceReferenceDate: -1e308))),
            entry(FileService.uploadFile, UploadFileMessage(header: .init(
                customerId: 1, name: "a.txt", size: 0,
                sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))),
        ]
    }

    /// Streams a hostile peer sent (docs/HARDENING.md), each with the side that reads it.
    static func hostileStreams() -> [(stream: [UInt8], side: WireFuzzing.Side)] {
        // A HELLO header announcing 4 MiB (length, type 01, flags, stream 0), its payload never sent.
        let hugeHello: [UInt8] = [0x00, 0x40, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00]
        let overflowingTimeout = FrameBuilder.frame(.callStart, flags: [.hasMessage, .endStream], streamID: 1) {
            $0.append(contentsOf: [UInt8](repeating: 0xFF, count: 11))
        }
        let hugeMethodLength = FrameBuilder.frame(.callStart, flags: [.hasMessage, .endStream], streamID: 3) {
            $0.append(contentsOf: [0x00] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
        }
        let hello = ServerHello(version: 1, maxFrameSize: 1 << 24, maxConcurrentCalls: 64, initialWindow: 1 << 20,
                                serverName: "customerd", serverVersion: "fuzz")
        let echoed = RPCError(.notFound, "no service", details: [ErrorDetail(field: "services", reason: String(repeating: "é", count: 6000))])
        let bigStatus = FrameBuilder.frame(.status, streamID: 1) { CallStatus(error: echoed).write(into: &$0) }
        return [
            (Handshake.magic + hugeHello, .server),
            (WireFuzzing.clientPreamble() + overflowingTimeout + hugeMethodLength, .server),
            (hello.frame() + bigStatus, .client),
        ]
    }

    /// The seeds of `target`, each an input of that target.
    static func seeds(for target: FuzzTarget) -> [[UInt8]] {
        let vectors = vectors()
        let requests = requests()
        switch target {
        case .decoder:
            return vectors.enumerated().map { [UInt8(truncatingIfNeeded: $0.offset)] + $0.element }
                + requests.map { DecoderFuzzTarget.input($0.type, message: $0.message) }
        case .frames:
            return (vectors + requests.map(\.message)).enumerated().flatMap { index, message in
                [WireFuzzing.Side.server, .client].map { side in
                    FrameFuzzTarget.input(WireFuzzing.sampleStream(to: side, message: message), to: side,
                                          chunk: index, smallLimit: index % 3 == 0)
                }
            } + hostileStreams().map { FrameFuzzTarget.input($0.stream, to: $0.side, chunk: 0) }
        case .requests:
            return requests.map { RequestPathFuzzTarget.input(method: $0.method.fullName, message: $0.message) }
                + RequestPathFuzzTarget.builtinSeeds()
        case .responses:
            return ResponseFuzzTarget.sampleMessages()
                + vectors.enumerated().map { [UInt8(truncatingIfNeeded: $0.offset)] + $0.element }
        case .direct:
            return DirectDecodingFuzzTarget.sampleMessages()
                + vectors.enumerated().map { [UInt8(truncatingIfNeeded: $0.offset)] + $0.element }
        case .handlers:
            // Each valid request as every caller; each vector to a method and caller of its own.
            let roles = HandlerFuzzTarget.Role.allCases
            return requests.flatMap { request in
                roles.map { HandlerFuzzTarget.input(method: request.method.fullName, role: $0, message: request.message) }
            } + vectors.enumerated().map { index, vector in
                [UInt8(truncatingIfNeeded: index * 7), UInt8(truncatingIfNeeded: index)] + vector
            }
        case .streams:
            return StreamFuzzTarget.seeds()
        case .registry:
            return RegistryAnswerFuzzTarget.seeds()
        case .client:
            return ClientResponseFuzzTarget.seeds(vectors: vectors)
        case .csv:
            return CSVImportFuzzTarget.seeds()
        case .call:
            return CallFuzzTarget.seeds(requests: requests.map { (Schema.name(of: $0.type), $0.message) }, vectors: vectors)
        case .refresh:
            return RegistryRefreshFuzzTarget.seeds()
        case .restore:
            return RestoreFuzzTarget.seeds()
        case .commandline:
            return CommandLineFuzzTarget.seeds()
        case .tokens:
            return PageTokenFuzzTarget.seeds()
        case .storefiles:
            return StoreFilesFuzzTarget.seeds()
        }
    }
}

import BinaryCoding
@_spi(Fuzzing) import BusinessRegistry
import CustomerAPI
import CustomerClient
import Foundation
@testable import FuzzTargets
import RPCClient
import RPCServing
import TestSupport
import Testing

/// Replays every fuzz target's seed corpus and every saved crash input (Tests/Fuzz/crashes/) through
/// the same one-input entry points libFuzzer calls, so the suite exercises them without libFuzzer.
/// An input that crashes stops the test process, which is what fails here.
@Suite struct FuzzReplayTests {
    @Test(arguments: FuzzTarget.allCases)
    func everySeedAndSavedCrashInputRunsToTheEnd(_ target: FuzzTarget) async throws {
        let inputs = target.seeds + target.crashInputs.map(\.bytes)
        #expect(target.seeds.count >= 5, "the seed corpus of \(target) is nearly empty")
        await onThread {
            for input in inputs { input.withUnsafeBytes(target.run) }
        }
    }

    /// The decoder target covers every message a customer method takes: each `Input` type named in
    /// Protocol/CustomerAPI's method descriptors, and the upload stream's message.
    @Test func theDecoderTargetCoversEveryRequestMessageOfTheAPI() throws {
        let directory = FuzzSeeds.repository.appendingPathComponent("Protocol/CustomerAPI")
        var declared = Set<String>()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".swift") {
            let source = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            let pattern = /(?:UnaryMethod|ServerStreamingMethod)<(\w+),/
            // `Input` is the generic parameter of the descriptor types themselves.
            for match in source.matches(of: pattern) where match.1 != "Input" { declared.insert(String(match.1)) }
        }
        declared.insert("UploadFileMessage")
        let fuzzed = Set(DecoderFuzzTarget.requestTypes.map { String(describing: $0) })
        #expect(declared.subtracting(fuzzed).isEmpty, "not fuzzed: \(declared.subtracting(fuzzed).sorted())")
        #expect(declared.count > 50)
    }

    /// The client target covers every message a customer method answers: each `Output` type named
    /// in Protocol/CustomerAPI's method descriptors, and the client streams' answers.
    @Test func theClientTargetCoversEveryResponseMessageOfTheAPI() throws {
        let directory = FuzzSeeds.repository.appendingPathComponent("Protocol/CustomerAPI")
        var declared = Set<String>()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".swift") {
            let source = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            let pattern = /(?:UnaryMethod|ServerStreamingMethod)<\w+,\s*(\w+)>/
            // `Output` is the generic parameter of the descriptor types themselves.
            for match in source.matches(of: pattern) where match.1 != "Output" { declared.insert(String(match.1)) }
        }
        declared.formUnion(["ImportCustomersResponse", "FileInfo"])
        let fuzzed = Set(ClientResponseFuzzTarget.responseTypes.map { String(describing: $0) })
        #expect(declared.subtracting(fuzzed).isEmpty, "not fuzzed: \(declared.subtracting(fuzzed).sorted())")
        #expect(declared.count > 40)
    }

    /// A registry's answers are read by the providers' own parse step: the captured answers of
    /// Tests/RegistryTestSupport/Fixtures give records, so the target's inputs reach past the JSON.
    @Test func theRegistryTargetReadsTheCapturedAnswersAsRecords() {
        let records = RegistryAnswerFuzzTarget.seeds().compactMap { seed -> RegistryRecord? in
            guard let selector = seed.first else { return nil }
            let answer = RegistryAnswerFuzzTarget.answers[Int(selector) % RegistryAnswerFuzzTarget.answers.count]
            return try? RegistryAnswerFuzzing.record(answer, body: Data(seed.dropFirst()))
        }
        #expect(records.contains { $0.officialName == "Nokia Oyj" })
        #expect(records.contains { $0.parent != nil })
        #expect(records.count >= 8)
    }

    /// The call target reaches past the bytes both ways: most reply seeds read as their message
    /// (printed and read back by the target), and a person's JSON makes the bytes the typed client sends.
    @Test func theCallTargetReadsRepliesAndBuildsRequests() throws {
        let schema = try #require(CallFuzzTarget.schema)
        let replies = FuzzTarget.call.seeds.filter { $0.first == 0 && $0.count >= 3 }
        let read = replies.filter { seed in
            let name = CallFuzzTarget.replies[(Int(seed[1]) << 8 | Int(seed[2])) % CallFuzzTarget.replies.count]
            return (try? DynamicReply.decode(Array(seed.dropFirst(3)), as: name, in: schema)) != nil
        }
        #expect(read.count >= 20, "\(read.count) of \(replies.count) reply seeds read")
        #expect(CallFuzzTarget.requests.count == DecoderFuzzTarget.requestTypes.count)
        let value = try DynamicValue(json: Array(#"{"id": 12}"#.utf8))
        #expect(try DynamicMessage.encoded("GetCustomerRequest", in: schema, value)
            == BinaryEncoder().encode(GetCustomerRequest(id: 12)))
    }

    /// The refresh target writes what a registry answered: PRH's answer for Nokia renames the Finnish
    /// customer and records its standing; the same answer with a stale version changes nothing;
    /// Brønnøysund's with an email the store refuses records the standing and leaves the email.
    @Test func theRefreshTargetWritesTheRegistrysValuesAndAStaleVersionNothing() async throws {
        let directory = try TemporaryDirectory()
        let results = try await onThread {
            let target = RegistryRefreshFuzzTarget.seeded(in: directory.path)
            let fixtures = FuzzSeeds.repository.appendingPathComponent("Tests/RegistryTestSupport/Fixtures")
            let nokia = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent("fi-prh-ytj-v3-companies-0112038-9-nokia.json")))
            let finnish = target.customers[0], norwegian = target.customers[1]
            let staleBefore = try target.store.customer(id: finnish)
            RegistryRefreshFuzzTarget.input(.finnishCompanies, customer: 0, flags: 2, body: nokia).withUnsafeBytes(target.run)
            let stale = try target.store.customer(id: finnish)
            RegistryRefreshFuzzTarget.input(.finnishCompanies, customer: 0, body: nokia).withUnsafeBytes(target.run)
            let taken = try target.store.customer(id: finnish)
            let norwegianBefore = try target.store.customer(id: norwegian)
            let refused = #"{"organisasjonsnummer":"923609016","navn":"Nordlys AS","epostadresse":"not an email"}"#
            RegistryRefreshFuzzTarget.input(.norwegianUnit, customer: 1, fields: 4, body: Array(refused.utf8))
                .withUnsafeBytes(target.run)
            let norwegianAfter = try target.store.customer(id: norwegian)
            target.store.close()
            return (staleBefore, stale, taken, norwegianBefore, norwegianAfter)
        }
        #expect(results.1 == results.0)
        #expect(results.2.name == "Nokia Oyj")
        #expect(results.2.registryStatus != nil)
        #expect(results.4.email == results.3.email)
        #expect(results.3.registryStatus == nil && results.4.registryStatus == "active")
    }

    /// The request path reaches the built-in services too: health, reflection's two methods and the
    /// server's information answer OK, as any local user's call would.
    @Test func theRequestPathTargetCallsTheBuiltInServices() async throws {
        let codes = await onThread {
            RequestPathFuzzTarget.builtinSeeds().filter { $0.count > 0 }.map { $0.withUnsafeBytes(RequestPathFuzzTarget.server.call) }
        }
        #expect(codes.count == 8)
        #expect(codes.filter { $0 == StatusCode.ok.rawValue }.count >= 5, "\(codes)")
    }

    /// The tokens target reaches past the fingerprint: a real token's head with a position the
    /// store wrote gives a page; a token made of the same text without it is refused.
    @Test func theTokensTargetResumesListingsFromFuzzedPositions() async throws {
        let directory = try TemporaryDirectory()
        let outcomes = await onThread {
            let target = PageTokenFuzzTarget.seeded(in: directory.path)
            let resumed = PageTokenFuzzTarget.input(order: 0, status: 2, keepsPrefix: true, limit: 1, Array("1|10001|acme oy".utf8))
            let bare = PageTokenFuzzTarget.input(order: 0, status: 2, keepsPrefix: false, Array("1|10001|acme oy".utf8))
            let pages = FuzzTarget.tokens.seeds.compactMap { $0.withUnsafeBytes(target.run) }
            return (resumed.withUnsafeBytes(target.run), bare.withUnsafeBytes(target.run), pages)
        }
        #expect(outcomes.0 == .page)
        #expect(outcomes.1 == .refused)
        #expect(outcomes.2.filter { $0 == .page }.count >= 5)
        #expect(outcomes.2.contains(.refused))
    }

    /// The store-files target reaches both refusals: a marker refuses the start; a record of this
    /// boot saying the log is longer than it is refuses it; a record of another boot does not.
    @Test func theStoreFilesTargetRefusesAStartForAMarkerAndForALogShorterThanItsRecord() async throws {
        let directory = try TemporaryDirectory()
        let outcomes = await onThread {
            let target = StoreFilesFuzzTarget.made(in: directory.path)
            return [
                StoreFilesFuzzTarget.input(record: false, "noticed now\nmore\n"),
                StoreFilesFuzzTarget.input(record: true, "4152\n"),
                StoreFilesFuzzTarget.input(record: true, logPages: 200, "4152\n"),
                StoreFilesFuzzTarget.input(record: true, withBoot: false, "another-boot 4152\n"),
            ].map { $0.withUnsafeBytes(target.run) }
        }
        #expect(outcomes == [.refused, .refused, .opened, .opened])
    }

    /// The request path reaches the real handlers and store: after the seeds (a create among them),
    /// customer 1 reads back OK, and an unknown one is NOT_FOUND.
    @Test func theRequestPathTargetCallsTheRealServer() async throws {
        let codes = await onThread {
            let server = RequestPathFuzzTarget.server
            for input in FuzzTarget.requests.seeds { _ = input.withUnsafeBytes(server.call) }
            return [Int64(1), 999_999].map { id in
                let input = RequestPathFuzzTarget.input(method: "customer.v1.CustomerService/GetCustomer",
                                                        message: (try? BinaryEncoder().encode(GetCustomerRequest(id: id))) ?? [])
                return input.withUnsafeBytes(server.call)
            }
        }
        #expect(codes == [StatusCode.ok.rawValue, StatusCode.notFound.rawValue])
    }

    /// The handlers target calls as the caller its input names: an administrator reads customer 1,
    /// a stranger and a deactivated user are UNAUTHENTICATED, a Read-only user may not update it, a
    /// trusted service acting for that user may not either; after every seed the database is intact.
    @Test func theHandlersTargetCallsAsTheRoleItsInputNames() async throws {
        let (codes, integrity) = await onThread {
            let server = HandlerFuzzTarget.server
            for input in FuzzTarget.handlers.seeds { _ = input.withUnsafeBytes(server.call) }
            let get = (try? BinaryEncoder().encode(GetCustomerRequest(id: 1))) ?? []
            let update = (try? BinaryEncoder().encode(UpdateCustomerRequest(id: 1, fields: CustomerFields(description: "x")))) ?? []
            let calls: [(String, HandlerFuzzTarget.Role, [UInt8])] = [
                ("customer.v1.CustomerService/GetCustomer", .administrator, get),
                ("customer.v1.CustomerService/GetCustomer", .stranger, get),
                ("customer.v1.CustomerService/GetCustomer", .deactivated, get),
                ("customer.v1.CustomerService/UpdateCustomer", .readOnly, update),
                ("customer.v1.CustomerService/UpdateCustomer", .serviceActingForReadOnly, update),
            ]
            let codes = calls.map { method, role, message in
                HandlerFuzzTarget.input(method: method, role: role, message: message).withUnsafeBytes(server.call)?.code
            }
            do {
                try server.checkIntegrity()
                return (codes, nil as String?)
            } catch {
                return (codes, "\(error)")
            }
        }
        #expect(codes == [.ok, .unauthenticated, .unauthenticated, .permissionDenied, .permissionDenied])
        #expect(integrity == nil, "the database after the seeds: \(integrity ?? "")")
    }

    /// The streams target covers every streaming method of the API: each `ServerStreamingMethod`
    /// and each client-streaming descriptor declared in Protocol/CustomerAPI.
    @Test func theStreamsTargetCoversEveryStreamingMethodOfTheAPI() throws {
        let directory = FuzzSeeds.repository.appendingPathComponent("Protocol/CustomerAPI")
        var declared = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".swift") {
            let source = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            declared += source.matches(of: /= ServerStreamingMethod<|kind: \.clientStreaming/).count
        }
        #expect(StreamFuzzTarget.methods.count == declared)
        #expect(Set(StreamFuzzTarget.methods.map(\.kind)) == [.clientStreaming, .serverStreaming])
    }

    /// The streams target ends calls every way and answers as the server does: an import of two
    /// rows as an administrator creates them (OK); the same as a Read-only user is refused; an
    /// import cancelled or dropped before its END_STREAM writes nothing (the target checks the feed,
    /// and the later import of the same numbers still succeeds); an upload short of its size is refused.
    @Test func theStreamsTargetEndsCallsEveryWay() async throws {
        let codes = await onThread {
            let target = StreamFuzzTarget.shared
            func encoded<T: Encodable>(_ value: T) -> [UInt8] { (try? BinaryEncoder().encode(value)) ?? [] }
            let rows = [encoded(ImportCustomersMessage(options: ImportOptions(), rows: [
                CustomerRecord(fields: CustomerFields(number: 7701, name: "Replay One Oy", country: "FI")),
            ])), encoded(ImportCustomersMessage(rows: [CustomerRecord(fields: CustomerFields(number: 7702, name: "Replay Two Oy"))]))]
            let upload = [encoded(UploadFileMessage(header: .init(customerId: 1, name: "short.txt", size: 10, sha256: String(repeating: "0", count: 64)))),
                          encoded(UploadFileMessage(data: Data("abc".utf8)))]
            let inputs: [[UInt8]] = [
                StreamFuzzTarget.input(method: CustomerService.importCustomers, role: .administrator, ending: .cancel, messages: rows),
                StreamFuzzTarget.input(method: CustomerService.importCustomers, role: .administrator, ending: .drop, messages: rows),
                StreamFuzzTarget.input(method: CustomerService.importCustomers, role: .administrator, ending: .halfCloseSocket, messages: rows),
                StreamFuzzTarget.input(method: CustomerService.importCustomers, role: .readOnly, ending: .endStream, messages: rows),
                StreamFuzzTarget.input(method: CustomerService.importCustomers, role: .administrator, ending: .bareEndStream, messages: rows),
                StreamFuzzTarget.input(method: FileService.uploadFile, role: .administrator, ending: .endStream, messages: upload),
                StreamFuzzTarget.input(method: CustomerService.exportCustomers.descriptor, role: .stranger, ending: .endStream,
                                       messages: [encoded(StreamCustomersRequest())]),
            ]
            return inputs.map { input in input.withUnsafeBytes(target.call)?.code }
        }
        #expect(codes == [nil, nil, nil, .permissionDenied, .ok, .invalidArgument, .unauthenticated])
    }
}

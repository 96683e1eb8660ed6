@_spi(Fuzzing) import BusinessRegistry
import CustomerAPI
@_spi(Fuzzing) import CustomerServer
@_spi(Fuzzing) import CustomerStore
import Foundation
import Glibc

/// Fuzz target (l): what the server does with a registry's answer past the record. The body is
/// read as the `registry` target reads it (the providers' own parse step: no network), then
/// planned as `RefreshFromRegistry` plans it (`RegistryRefreshPlan.plan`) for a seeded customer,
/// and written as the handler writes it (`applyRegistryUpdate`) on a real SQLite file in
/// `/tmp/cc-fuzz-refresh-PID`.
///
/// Input: one byte: the answer (low 2 bits, as `registry`), the customer (bits 2-3), the fields
/// asked for (bits 4-7, one each: name, address, email, website; none: all); one byte: a dry run
/// (bit 0), a stale expected version (bit 1, as when the customer changed while the registry was
/// asked); then the body. Findings: a trap; a write refused with anything but a `StoreError` the
/// handler answers as a refusal of the moment (ABORTED, ALREADY_EXISTS, FAILED_PRECONDITION), an
/// INVALID_ARGUMENT above all (the plan withholds every registry value the store's rules refuse,
/// so the caller is never told that what it sent is wrong); a refused write that changed the
/// customer or the change feed; a written customer the store's own rules
/// refuse or would store differently (`violationsOfTheStoreRules`); a database whose quick_check
/// fails (every `integrityCheckInterval` inputs).
final class RegistryRefreshFuzzTarget: @unchecked Sendable {   // `inputsRun` is only touched under `lock`
    static let integrityCheckInterval = 64
    static let directory = "/tmp/cc-fuzz-refresh-\(getpid())"

    let store: CustomerStore
    let author: Author
    /// The seeded customers: Finnish and Norwegian, with and without a head office, email and website.
    let customers: [Int64]
    private let lock = NSLock()
    private var inputsRun = 0

    private init(store: CustomerStore, author: Author, customers: [Int64]) {
        self.store = store
        self.author = author
        self.customers = customers
    }

    /// The seeded store, once per process; removed when the process exits.
    static let shared: RegistryRefreshFuzzTarget = {
        atexit { try? FileManager.default.removeItem(atPath: RegistryRefreshFuzzTarget.directory) }
        return seeded(in: directory)
    }()

    /// A store of its own in `directory` (a test's, so the seeds the suite replays beside it do not
    /// move its customers), seeded with an administrator and the customers.
    static func seeded(in directory: String) -> RegistryRefreshFuzzTarget {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let store = try CustomerStore(path: directory + "/customers.sqlite")
            let author = Author.user(try store.addUser(uid: 7300, name: "boss", isAdministrator: true).id)
            let new = [
                NewCustomer(name: "Acme Oy", vatNumber: "FI01120389", country: "FI", email: "info@acme.example",
                            website: "https://acme.example/"),
                NewCustomer(name: "Nordlys AS", vatNumber: "NO923609016MVA", country: "NO"),
                NewCustomer(name: "Ääkkönen Oy – \u{1F4BC}", description: "Kärnkund", vatNumber: "FI01120389", country: "FI",
                            phone: "+358 9 123"),
                NewCustomer(name: "Fjord Filial", vatNumber: "NO971234563", country: "NO", website: "fjord.example"),
            ]
            var ids: [Int64] = []
            for customer in new {
                let created = try store.createCustomer(customer, allowDuplicateVAT: true, by: author)
                ids.append(created.id)
            }
            _ = try store.addAddress(customerID: ids[0], StoredAddressFields(
                street1: "Karakaari 7", postalCode: "02610", city: "Espoo", country: "FI", kind: .visiting), by: author)
            _ = try store.addAddress(customerID: ids[3], StoredAddressFields(
                street1: "c/o Fjord", street2: "Postboks 1", street3: "Bryggen", postalCode: "5003", city: "Bergen",
                region: "Vestland", country: "NO", kind: .billing), by: author)
            return RegistryRefreshFuzzTarget(store: store, author: author, customers: ids)
        } catch {
            fatalError("cannot seed the refresh target's store in \(directory): \(error)")
        }
    }

    static func run(_ input: UnsafeRawBufferPointer) {
        shared.run(input)
    }

    /// One input on this target's store.
    func run(_ input: UnsafeRawBufferPointer) {
        guard input.count >= 2 else { return }
        run(control: input[0], flags: input[1], body: Data(input.dropFirst(2)))
    }

    private func run(control: UInt8, flags: UInt8, body: Data) {
        let answers = RegistryAnswerFuzzing.Answer.allCases
        let answer = answers[Int(control & 3) % answers.count]
        guard let record = try? RegistryAnswerFuzzing.record(answer, body: body) else { return }
        let fields: [RefreshField] = [.name, .address, .email, .website].enumerated()
            .filter { control & (0x10 << $0.offset) != 0 }.map(\.element)
        let id = customers[Int(control >> 2 & 3)]
        lock.lock()
        defer { lock.unlock() }
        inputsRun += 1
        do {
            let before = try store.customer(id: id)
            let feedBefore = try store.feedBounds(applying: .unlimited)
            let request = RefreshFromRegistryRequest(customerId: id, fields: fields, dryRun: flags & 1 != 0)
            let plan = RegistryRefreshPlan.plan(request, for: before, from: record)
            if let update = plan.update {
                do {
                    let after = try store.applyRegistryUpdate(customerID: id, update,
                                                              expectedVersion: before.version - Int64(flags >> 1 & 1), by: author)
                    let violations = after.violationsOfTheStoreRules
                    if !violations.isEmpty {
                        fatalError("\(answer): the refresh stored a customer the store's rules refuse: \(violations)\n\(after)")
                    }
                } catch let error as StoreError {
                    switch error {
                    // Not INVALID_ARGUMENT: the plan withholds each registry value the store refuses.
                    case .aborted, .alreadyExists, .failedPrecondition: break
                    default: fatalError("\(answer): the refresh's write failed with \(error)")
                    }
                    let after = try store.customer(id: id)
                    let feedAfter = try store.feedBounds(applying: .unlimited)
                    if after != before || feedAfter != feedBefore {
                        fatalError("\(answer): a refused refresh (\(error)) changed the store:\n\(before)\n\(after)")
                    }
                }
            }
            if inputsRun % Self.integrityCheckInterval == 0 { try store.checkIntegrity() }
        } catch {
            fatalError("\(answer): the store failed around a refresh: \(error)")
        }
    }

    /// The input for `body` read as `answer`, for customer `customer` (0-3), with `flags`.
    static func input(_ answer: RegistryAnswerFuzzing.Answer, customer: Int, fields: UInt8 = 0, flags: UInt8 = 0,
                      body: [UInt8]) -> [UInt8] {
        let index = RegistryAnswerFuzzing.Answer.allCases.firstIndex(of: answer) ?? 0
        return [UInt8(index) | UInt8(customer & 3) << 2 | fields << 4, flags] + body
    }

    /// The `registry` target's seeds (captured answers and hostile bodies), each for the customer of
    /// its country, written and as a dry run, and a captured answer's values made hostile: a name
    /// with a terminal escape, a 300-character name, an email and a website the store refuses.
    static func seeds() -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        for (index, seed) in RegistryAnswerFuzzTarget.seeds().enumerated() {
            guard let selector = seed.first else { continue }
            let answer = RegistryAnswerFuzzTarget.answers[Int(selector) % RegistryAnswerFuzzTarget.answers.count]
            let customer = answer == .finnishCompanies ? index % 2 * 2 : 1 + index % 2 * 2
            seeds.append(input(answer, customer: customer, flags: UInt8(index % 4), body: Array(seed.dropFirst())))
        }
        let hostile: [(RegistryAnswerFuzzing.Answer, String)] = [
            (.norwegianUnit, #"{"organisasjonsnummer":"923609016","navn":"Nordlys \u001b]0;x\u0007 AS","epostadresse":"a@b"}"#),
            (.norwegianUnit, #"{"organisasjonsnummer":"923609016","navn":"\#(String(repeating: "N", count: 300))","hjemmeside":"javascript:alert(1)"}"#),
            (.norwegianUnit, #"{"organisasjonsnummer":"923609016","navn":"X","epostadresse":"not an email","forretningsadresse":{"adresse":["\u2028"],"postnummer":"\u202e0150","poststed":"OSLO","landkode":"ZZ"}}"#),
        ]
        seeds += hostile.map { input($0.0, customer: 1, body: Array($0.1.utf8)) }
        return seeds
    }
}

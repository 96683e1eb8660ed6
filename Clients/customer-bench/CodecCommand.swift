import BinaryCoding
import CommandLineKit
import CustomerAPI
import Foundation
import RPCClient
import RPCServing

/// `customer-bench codec`: what one encode and one decode of a message cost in process, with the
/// binary coder and with Foundation's JSON coders for reference. Measurement only, never asserted:
/// wall-clock numbers here are noisy on a shared machine; callgrind on this command gives the
/// stable instruction counts (use `--no-reference` and one message to isolate a coder).
struct CodecCommand {
    static let help = """
        OVERVIEW: Encode and decode cost per call of the binary coder, in process, beside JSON.

        Times batches of encodes and decodes of a Customer as GetCustomer returns it (every field
        set, with its head office address), of a ListCustomers page of 50 and of a
        HealthCheckResponse, and prints the median batch's nanoseconds per call and the encoded
        size. A new BinaryEncoder and BinaryDecoder per call, as the server makes them. Coders:
        binary (hot messages write and read their own fields), generic (the same bytes through
        Codable: writesDirectly and readsDirectly off), JSON (one JSONEncoder and JSONDecoder
        reused throughout, JSON's most favourable case).

        USAGE: customer-bench codec \(signature.usage)


        """ + signature.help().dropLast(2)

    static let iterationsOption = Option.value("iterations", "<n>", help: "Calls per timed batch (default: 10000).")
    static let batchesOption = Option.value(
        "batches", "<n>", help: "Timed batches after one warm-up batch; the median is shown (default: 5).")
    static let noReference = Option.flag(
        "no-reference", help: "Skip the generic path and Foundation's JSON coders (e.g. under callgrind).")
    static let output = Option.value(
        "output", "<format>", help: "table, or json for one object per line (default: table).", choices: ["table", "json"])
    static let signature = Signature(
        arguments: [Argument("<message>", help: "customer, page or health (default: all).", optional: true)],
        options: [iterationsOption, batchesOption, noReference, output, BenchCommand.helpOption], acceptsMoreArguments: true)

    enum Message: String, CaseIterable {
        case customer, page, health
    }

    var messages = Message.allCases
    var iterations = 10_000
    var batches = 5
    var reference = true
    var json = false

    /// The options after `codec`.
    static func parse(_ arguments: [String]) throws(UsageError) -> CodecCommand {
        var command = CodecCommand()
        try command.apply(try signature.parse(arguments))
        return command
    }

    private mutating func apply(_ parsed: ParsedArguments) throws(UsageError) {
        if !parsed.positionals.isEmpty {
            messages = []
            for name in parsed.positionals {
                guard let message = Message(rawValue: name) else {
                    throw UsageError("unknown message '\(name)' (one of: customer, page, health)",
                                                    suggestion: Suggestion.closest(to: name, among: Message.allCases.map(\.rawValue)))
                }
                messages.append(message)
            }
        }
        iterations = try parsed.count(Self.iterationsOption, in: 1...10_000_000) ?? iterations
        batches = try parsed.count(Self.batchesOption, in: 1...1000) ?? batches
        json = parsed.value(Self.output) == "json"
        reference = !parsed.flag(Self.noReference)
    }

    /// One coder on one message: `encode` and `decode` each do one call.
    struct Case {
        let message: String
        let coder: String
        let bytes: Int
        let encode: () throws -> Void
        let decode: () throws -> Void
    }

    func run() throws {
        var cases: [Case] = []
        for message in messages {
            switch message {
            case .customer: cases += try Self.cases("Customer", Self.sampleCustomer, reference: reference)
            case .page: cases += try Self.cases("ListCustomersResponse", Self.samplePage, reference: reference)
            case .health: cases += try Self.cases("HealthCheckResponse", HealthCheckResponse(status: .serving), reference: reference)
            }
        }
        if !json {
            print("codec: \(iterations) calls per batch, median of \(batches) batches, nanoseconds per call")
            print(TextFormat.pad("message", 22) + TextFormat.pad("coder", 8) + TextFormat.pad("encode ns", 12, right: true)
                  + TextFormat.pad("decode ns", 12, right: true) + TextFormat.pad("bytes", 8, right: true))
        }
        for item in cases {
            let encode = try medianNanoseconds(item.encode)
            let decode = try medianNanoseconds(item.decode)
            if json {
                print("{\"message\":\"\(item.message)\",\"coder\":\"\(item.coder)\",\"debugBuild\":\(BuildMode.isDebug),"
                      + "\"iterations\":\(iterations),\"batches\":\(batches),"
                      + "\"encodeNanoseconds\":\(TextFormat.fixed(encode, 1)),\"decodeNanoseconds\":\(TextFormat.fixed(decode, 1)),"
                      + "\"bytes\":\(item.bytes)}")
            } else {
                print(TextFormat.pad(item.message, 22) + TextFormat.pad(item.coder, 8)
                      + TextFormat.pad(TextFormat.fixed(encode, 1), 12, right: true)
                      + TextFormat.pad(TextFormat.fixed(decode, 1), 12, right: true) + TextFormat.pad(String(item.bytes), 8, right: true))
            }
        }
    }

    /// The binary case (checked to round-trip first) and, with `reference`, the generic and JSON ones.
    private static func cases<M: Codable & Equatable>(_ name: String, _ value: M, reference: Bool) throws -> [Case] {
        let binary = try BinaryEncoder().encode(value)
        guard try BinaryDecoder().decode(M.self, from: binary) == value else {
            throw BenchFailure("\(name) does not decode to what was encoded")
        }
        var cases = [Case(message: name, coder: "binary", bytes: binary.count,
                          encode: { _ = try BinaryEncoder().encode(value) },
                          decode: { _ = try BinaryDecoder().decode(M.self, from: binary) })]
        if reference {
            var genericEncoder = BinaryEncoder()
            genericEncoder.writesDirectly = false
            var genericDecoder = BinaryDecoder()
            genericDecoder.readsDirectly = false
            cases.append(Case(message: name, coder: "generic", bytes: try genericEncoder.encode(value).count,
                              encode: { _ = try genericEncoder.encode(value) },
                              decode: { _ = try genericDecoder.decode(M.self, from: binary) }))
            let encoder = JSONEncoder()
            let decoder = JSONDecoder()
            let text = try encoder.encode(value)
            cases.append(Case(message: name, coder: "JSON", bytes: text.count,
                              encode: { _ = try encoder.encode(value) },
                              decode: { _ = try decoder.decode(M.self, from: text) }))
        }
        return cases
    }

    /// One warm-up batch, then `batches` timed ones; the median batch's time per call.
    private func medianNanoseconds(_ body: () throws -> Void) throws -> Double {
        for _ in 0..<iterations { try body() }
        var perCall: [Double] = []
        for _ in 0..<batches {
            let start = ContinuousClock.now
            for _ in 0..<iterations { try body() }
            let elapsed = (ContinuousClock.now - start).components
            perCall.append((Double(elapsed.seconds) * 1e9 + Double(elapsed.attoseconds) / 1e9) / Double(iterations))
        }
        return perCall.sorted()[perCall.count / 2]
    }

    /// A page of 50 customers as ListCustomers answers: the sample without its head office (lists
    /// leave it out), numbered on.
    static let samplePage: ListCustomersResponse = {
        let customers = (0..<50).map { index -> Customer in
            var customer = sampleCustomer
            customer.headOffice = nil
            customer.id += Int64(index)
            customer.number += Int64(index)
            return customer
        }
        return ListCustomersResponse(customers: customers, nextPageToken: "MTA0ODI7QWFsdG8gQ29uc3VsdGluZyBPeQ")
    }()

    /// A customer as GetCustomer answers: every optional field set, the head office included.
    static let sampleCustomer: Customer = {
        let created = Date(timeIntervalSince1970: 1_700_000_000.125)
        let updated = Date(timeIntervalSince1970: 1_764_000_000.750)
        let manager = UserRef(id: 7, name: "Maija Virtanen")
        let clerk = UserRef(id: 12, name: "Juha Nieminen")
        let office = Address(
            id: 96_427, customerId: 48_213, street: ["Keilalahdentie 4", "PL 226"], postalCode: "02150", city: "Espoo",
            region: "Uusimaa", country: "FI", kind: .visiting, isHeadOffice: true, version: 3,
            createdAt: created, createdBy: clerk, updatedAt: updated, updatedBy: manager)
        return Customer(
            id: 48_213, number: 10_482, name: "Aalto Consulting Oy", accountManager: manager,
            description: "IT consulting for the public sector; framework agreement since 2019.",
            vatNumber: "FI01120389", country: "FI", industry: "Computer programming and consultancy",
            email: "office@aaltoconsulting.fi", website: "https://www.aaltoconsulting.fi", phone: "+358 9 123 4567",
            active: true, version: 12, createdAt: created, createdBy: clerk, updatedAt: updated, updatedBy: manager,
            headOffice: office)
    }()
}

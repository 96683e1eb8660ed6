import BinaryCoding
import CustomerClient

/// One named scenario of `run`: how a caller makes its calls, and the frames one call exchanges.
struct CustomerScenario: Sendable {
    let name: String
    /// The RPC method, for the frame-size floor.
    let method: MethodDescriptor
    /// Makes caller `index`'s round trip on `client` (its connection).
    let makeCaller: @Sendable (_ client: CustomerClient, _ index: Int) -> LoadCaller
    /// One call made for real, encoded: the request and response message sizes.
    let sampleMessages: @Sendable (_ client: CustomerClient) async throws -> (request: Int, response: Int)
}

/// What the scenarios need to know about the data.
struct ScenarioData: Sendable {
    /// Customers have ids 1...customers.
    let customers: Int
    /// Page tokens of the by-name listing, 50 per page, `nil` for the first page.
    let pageTokens: [String?]
    /// Every call's options: its deadline (`--timeout`).
    let callOptions: CallOptions
}

extension CustomerScenario {
    static let pageSize = 50
    /// The page `list-deep` reads (1-based).
    static let deepPage = 10_000

    static func named(_ name: String, data: ScenarioData) -> CustomerScenario? {
        let maxID = Int64(max(1, data.customers))
        let options = data.callOptions
        let getRequest: @Sendable (CallerState) -> GetCustomerRequest = { GetCustomerRequest(id: $0.int64(in: 1...maxID)) }
        switch name {
        case "ping":
            return make(name, RPCHealth.Check.descriptor, request: { _ in HealthCheckRequest() }) { client, request in
                try await client.channel.unary(RPCHealth.Check.descriptor, request, as: HealthCheckResponse.self, options: options)
            }
        case "get", "get-inline":
            // get-inline: tasks that resume on the connection's reader thread (ClientChannel.executor).
            return make(name, CustomerService.getCustomer.descriptor, request: getRequest,
                        preferringChannelExecutor: name == "get-inline") { client, request in
                try await client.channel.call(CustomerService.getCustomer, request, options: options)
            }
        case "get-sync":
            // The blocking API: each caller is a thread of its own that writes and reads its calls.
            let get = named("get", data: data)
            return CustomerScenario(name: name, method: CustomerService.getCustomer.descriptor, makeCaller: { client, index in
                let state = CallerState(caller: index)
                return .thread { _ = try client.channel.callBlocking(CustomerService.getCustomer, getRequest(state), options: options) }
            }, sampleMessages: { client in try await get?.sampleMessages(client) ?? (0, 0) })
        case "card":
            return make(name, CardService.getCustomerCard.descriptor,
                        request: { GetCustomerCardRequest(customerId: $0.int64(in: 1...maxID), tabs: [.contactInformation]) }) {
                client, request in try await client.channel.call(CardService.getCustomerCard, request, options: options)
            }
        case "list", "list-first", "list-deep":
            let tokens = data.pageTokens.isEmpty ? [nil] : data.pageTokens
            let fixedPage: Int? = switch name {
            case "list-first": 0
            case "list-deep": min(deepPage, tokens.count) - 1
            default: nil
            }
            return make(name, CustomerService.listCustomers.descriptor, request: { state in
                ListCustomersRequest(query: CustomerQuery(), limit: Int32(pageSize),
                                     pageToken: tokens[fixedPage ?? state.int(below: tokens.count)])
            }) { client, request in try await client.channel.call(CustomerService.listCustomers, request, options: options) }
        case "create", "create-keyed":
            return make(name, CustomerService.createCustomer.descriptor, request: { state in
                state.counter += 1
                return CreateCustomerRequest(fields: CustomerFields(name: "Bench \(state.caller)-\(state.counter) Oy", country: "FI"),
                                             allowDuplicateVat: nil)
            }) { client, request in
                try await write(CustomerService.createCustomer, request, keyed: name == "create-keyed", options: options, on: client)
            }
        case "update", "update-keyed":
            return make(name, CustomerService.updateCustomer.descriptor, request: { updateRequest($0, maxID: maxID) }) {
                client, request in
                try await write(CustomerService.updateCustomer, request, keyed: name == "update-keyed", options: options, on: client)
            }
        case "mixed":
            // 90 % reads, 10 % writes; the frame-size floor is the read's (nine calls in ten).
            let get = named("get", data: data)
            return CustomerScenario(name: name, method: CustomerService.getCustomer.descriptor, makeCaller: { client, index in
                let state = CallerState(caller: index)
                return .task {
                    if state.int(below: 10) == 0 {
                        _ = try await write(CustomerService.updateCustomer, updateRequest(state, maxID: maxID), keyed: false,
                                            options: options, on: client)
                    } else {
                        _ = try await client.channel.call(CustomerService.getCustomer, getRequest(state), options: options)
                    }
                }
            }, sampleMessages: { client in try await get?.sampleMessages(client) ?? (0, 0) })
        default:
            return nil
        }
    }

    /// A write as the library sends it (with a new idempotency key), or without a key: the plain
    /// path, comparable with the figures from before keys existed.
    private static func write<Input, Output>(_ method: UnaryMethod<Input, Output>, _ request: Input, keyed: Bool,
                                             options: CallOptions, on client: CustomerClient) async throws -> Output {
        guard keyed else { return try await client.channel.unary(method.descriptor, request, as: Output.self, options: options) }
        return try await client.channel.call(method, request, options: options)
    }

    private static func updateRequest(_ state: CallerState, maxID: Int64) -> UpdateCustomerRequest {
        UpdateCustomerRequest(id: state.int64(in: 1...maxID), expectedVersion: nil,
                              fields: CustomerFields(phone: "+358 9 \(state.int(below: 1_000_000))"), allowDuplicateVat: nil)
    }

    /// A scenario whose caller loops `call(request(state))`, in a task that prefers its channel's
    /// executor if `preferringChannelExecutor`; the sample encodes one real exchange.
    private static func make<Request: Encodable & Sendable, Response: Encodable & Sendable>(
        _ name: String, _ method: MethodDescriptor, request: @escaping @Sendable (CallerState) -> Request,
        preferringChannelExecutor: Bool = false, call: @escaping @Sendable (CustomerClient, Request) async throws -> Response
    ) -> CustomerScenario {
        CustomerScenario(name: name, method: method, makeCaller: { client, index in
            let state = CallerState(caller: index)
            return .task({ _ = try await call(client, request(state)) },
                         preferring: preferringChannelExecutor ? client.channel.executor : nil)
        }, sampleMessages: { client in
            let sample = request(CallerState(caller: -1))
            let response = try await call(client, sample)
            return (try BinaryEncoder().encode(sample).count, try BinaryEncoder().encode(response).count)
        })
    }
}

/// A caller's own random numbers and counter. SplitMix64 (Steele et al. 2014) rather than
/// `SystemRandomNumberGenerator`, whose getrandom(2) per call would be measured as client CPU.
/// `@unchecked Sendable`: each instance belongs to one caller, whose calls run one after another.
final class CallerState: @unchecked Sendable {
    let caller: Int
    var counter = 0
    private var seed: UInt64

    init(caller: Int) {
        self.caller = caller
        seed = 0x9E37_79B9_7F4A_7C15 &* UInt64(bitPattern: Int64(caller) &+ 1)
    }

    func next() -> UInt64 {
        seed &+= 0x9E37_79B9_7F4A_7C15
        var z = seed
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func int(below bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    func int64(in range: ClosedRange<Int64>) -> Int64 {
        range.lowerBound + Int64(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
}

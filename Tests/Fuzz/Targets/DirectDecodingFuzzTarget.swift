import BinaryCoding
import CustomerAPI
import DecodingComparison
import Foundation

/// Fuzz target (e): the messages that read their own fields (`DirectDecodable`) against the generic
/// decoder.
///
/// Input: one byte choosing the message type, then the bytes to decode. Both paths must agree: the
/// same value (compared by its encoding, so a NaN equals itself), or the same kind of
/// `DecodingError`. Anything else is a finding, and so is a trap in either.
enum DirectDecodingFuzzTarget {
    /// Each message type with its comparison, in selector order.
    static let messageTypes: [(type: Any.Type, compare: @Sendable ([UInt8]) -> Void)] = [
        entry(Customer.self), entry(ListCustomersResponse.self), entry(CustomerCard.self), entry(ContactInformation.self),
        entry(Address.self), entry(Contact.self), entry(Activity.self), entry(ActivityList.self), entry(Segment.self),
        entry(UserRef.self), entry(ContactRef.self), entry(GetCustomerRequest.self), entry(GetCustomerCardRequest.self),
        entry(ListCustomersRequest.self), entry(CustomerQuery.self), entry(CreateCustomerRequest.self),
        entry(CustomerFields.self),
    ]

    private static func entry<T: Codable & Sendable>(_ type: T.Type) -> (type: Any.Type, compare: @Sendable ([UInt8]) -> Void) {
        (T.self, { compare(T.self, $0) })
    }

    static func run(_ input: UnsafeRawBufferPointer) {
        guard let selector = input.first else { return }
        messageTypes[Int(selector) % messageTypes.count].compare(Array(input.dropFirst()))
    }

    /// The input for `message` of `type`: the selector byte, then the message.
    static func input(_ type: Any.Type, message: [UInt8]) -> [UInt8] {
        let index = messageTypes.firstIndex { ObjectIdentifier($0.type) == ObjectIdentifier(type) } ?? 0
        return [UInt8(truncatingIfNeeded: index)] + message
    }

    private static func compare<T: Codable>(_ type: T.Type, _ bytes: [UInt8]) {
        let direct = DecodingOutcome(type, bytes, direct: true)
        let generic = DecodingOutcome(type, bytes, direct: false)
        guard direct == generic else {
            fatalError("\(type) from \(bytes): the reader gives \(direct), the generic decoder \(generic)")
        }
    }

    /// Seeds: the hot responses and the get, list, card and create requests, encoded.
    static func sampleMessages() -> [[UInt8]] {
        let requests: [[UInt8]] = [
            seed(GetCustomerRequest(id: 42)), seed(GetCustomerRequest(number: 10_042)),
            seed(GetCustomerCardRequest(customerId: 42, tabs: [.contactInformation, .settings], from: "2027-01")),
            seed(ListCustomersRequest(query: CustomerQuery(status: .all, search: "oy", order: .number), limit: 50,
                                      pageToken: "token")),
            seed(CreateCustomerRequest(fields: CustomerFields(number: 1001, name: "Acme Oy", vatNumber: "FI01120389",
                                                              country: "FI"), allowDuplicateVat: true)),
        ]
        // The response target's seeds, whose selector byte names a type there, re-selected here.
        let responses = ResponseFuzzTarget.sampleMessages().compactMap { input -> [UInt8]? in
            guard let selector = input.first else { return nil }
            let type = ResponseFuzzTarget.responseTypes[Int(selector) % ResponseFuzzTarget.responseTypes.count].type
            return Self.input(type, message: Array(input.dropFirst()))
        }
        return responses + requests
    }

    private static func seed<T: Encodable>(_ value: T) -> [UInt8] {
        input(T.self, message: (try? BinaryEncoder().encode(value)) ?? [])
    }
}

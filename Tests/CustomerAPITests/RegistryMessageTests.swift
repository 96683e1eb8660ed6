import BinaryCoding
import CustomerAPI
import Foundation
import Testing

/// The registry refresh messages and the duplicate-VAT flags on the wire.
@Suite struct RegistryMessageTests {
    func roundTrip<T: Codable & Equatable>(_ value: T) throws {
        let bytes = try BinaryEncoder().encode(value)
        #expect(try BinaryDecoder().decode(T.self, from: bytes) == value)
    }

    @Test func refreshMessagesSurviveTheCoder() throws {
        try roundTrip(RefreshFromRegistryRequest(customerId: 7, fields: [.website, .name], dryRun: true))
        try roundTrip(RefreshFromRegistryRequest(customerId: 7))
        let at = Date(timeIntervalSince1970: 1_764_384_786.5)
        let alice = UserRef(id: 1, name: "alice")
        try roundTrip(RefreshFromRegistryResponse(
            differences: [RegistryDifference(field: .address, current: nil, registry: "Karakaari 7, 02610 ESPOO, FI"),
                          RegistryDifference(field: .email, current: "a@b.no", registry: "post@b.no")],
            applied: true, deregistered: RegistryDeregistration(date: "2023-11-30", reason: "deleted"),
            emailNote: nil, registry: RegistrySource(name: "Brønnøysund Enhetsregisteret", url: "http://x/enheter/1"),
            customer: Customer(id: 7, number: 10_007, name: "X", active: true, version: 2, createdAt: at, createdBy: alice,
                               updatedAt: at, updatedBy: alice)))
        try roundTrip(CreateCustomerRequest(fields: CustomerFields(name: "X"), allowDuplicateVat: true))
        try roundTrip(UpdateCustomerRequest(id: 1, fields: CustomerFields(vatNumber: "FI01120389"), allowDuplicateVat: false))
        try roundTrip(HistoryEntry(id: 1, entity: .address, entityId: 2, customerId: 3, action: "updated", at: at,
                                   by: alice, changes: [], source: "registry: PRH YTJ open data v3 http://x"))
    }

    @Test func fieldsGoOnTheWireByName() throws {
        // Field 2 (wire type 2, length-delimited): the UTF-8 of "website".
        let bytes = try BinaryEncoder().encode(RefreshFromRegistryRequest(customerId: 1, fields: [.website]))
        #expect(Data(bytes).range(of: Data("website".utf8)) != nil)
    }

    @Test func aRequestWithoutTheNewFieldsDecodesAsBefore() throws {
        // An older client's CreateCustomerRequest has only field 1: no duplicate is intended.
        struct OldCreate: Codable {
            var fields: CustomerFields
            enum CodingKeys: Int, CodingKey { case fields = 1 }
        }
        let bytes = try BinaryEncoder().encode(OldCreate(fields: CustomerFields(name: "X", vatNumber: "FI01120389")))
        let decoded = try BinaryDecoder().decode(CreateCustomerRequest.self, from: bytes)
        #expect(decoded == CreateCustomerRequest(fields: CustomerFields(name: "X", vatNumber: "FI01120389")))
        #expect(decoded.allowDuplicateVat == nil)
    }
}

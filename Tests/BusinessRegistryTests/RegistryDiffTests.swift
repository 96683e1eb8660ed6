import BusinessRegistry
import Foundation
import Testing

struct RegistryDiffTests {
    static let karakaari = RegistryAddress(lines: ["Karakaari 7"], postalCode: "02610", city: "ESPOO", country: "FI")

    static func record(email: String? = nil, availability: EmailAvailability = .notProvidedByRegistry,
                       street: RegistryAddress? = karakaari, postal: RegistryAddress? = nil) -> RegistryRecord {
        RegistryRecord(businessID: "0112038-9", officialName: "Nokia Oyj", streetAddress: street,
                       postalAddress: postal, email: email, emailAvailability: availability,
                       website: "www.nokia.com", deregistered: nil, registry: "PRH YTJ open data v3",
                       sourceURL: URL(fileURLWithPath: "/"))
    }

    @Test("equal values, up to the differences a refresh would not change, give no diff")
    func noDifference() {
        let current = CustomerRegistryValues(
            name: " Nokia  Oyj ",
            address: RegistryAddress(lines: ["KARAKAARI 7"], postalCode: "02610", city: "Espoo", country: "FI"),
            email: "info@nokia.com",
            website: "https://WWW.nokia.com/")
        #expect(RegistryDiff.differences(current: current, registry: Self.record()) == [])
    }

    @Test("every differing field is listed in field order with display values")
    func allDifferent() {
        let current = CustomerRegistryValues(
            name: "Nokia Corporation",
            address: RegistryAddress(lines: ["Keilalahdentie 4"], postalCode: "02150", city: "Espoo", country: "FI"),
            email: "old@nokia.com",
            website: nil)
        let registry = Self.record(email: "new@nokia.com", availability: .provided)
        #expect(RegistryDiff.differences(current: current, registry: registry) == [
            RegistryDiff(field: .name, current: "Nokia Corporation", registry: "Nokia Oyj"),
            RegistryDiff(field: .address, current: "Keilalahdentie 4, 02150 Espoo, FI",
                         registry: "Karakaari 7, 02610 ESPOO, FI"),
            RegistryDiff(field: .email, current: "old@nokia.com", registry: "new@nokia.com"),
            RegistryDiff(field: .website, current: nil, registry: "www.nokia.com"),
        ])
    }

    @Test("only the chosen fields are compared")
    func chosenFields() {
        let current = CustomerRegistryValues(name: "Other", address: nil, email: nil, website: "other.example")
        let diffs = RegistryDiff.differences(current: current, registry: Self.record(), fields: [.website])
        #expect(diffs == [RegistryDiff(field: .website, current: "other.example", registry: "www.nokia.com")])
    }

    @Test("email is no difference when the registry publishes none, but is when it has none registered")
    func emailAvailability() {
        let current = CustomerRegistryValues(name: "Nokia Oyj", address: Self.karakaari, email: "info@nokia.com",
                                             website: "www.nokia.com")
        #expect(RegistryDiff.differences(current: current, registry: Self.record()) == [])
        #expect(RegistryDiff.differences(current: current, registry: Self.record(availability: .notRegistered))
                == [RegistryDiff(field: .email, current: "info@nokia.com", registry: nil)])
    }

    @Test("the postal address stands in when the registry has no street address")
    func postalFallback() {
        let box = RegistryAddress(lines: ["PL 226"], postalCode: "00045", city: "NOKIA GROUP", country: "FI")
        let current = CustomerRegistryValues(name: "Nokia Oyj", address: nil, email: nil, website: "www.nokia.com")
        #expect(RegistryDiff.differences(current: current, registry: Self.record(street: nil, postal: box))
                == [RegistryDiff(field: .address, current: nil, registry: "PL 226, 00045 NOKIA GROUP, FI")])
    }
}

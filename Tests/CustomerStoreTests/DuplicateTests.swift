import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

@Suite struct DuplicateTests {
    private func create(_ fixture: Fixture, _ name: String, vat: String? = nil, country: String? = nil, email: String? = nil,
                        website: String? = nil, phone: String? = nil) throws -> StoredCustomer {
        try fixture.store.createCustomer(NewCustomer(name: name, vatNumber: vat, country: country, email: email,
                                                     website: website, phone: phone), allowDuplicateVAT: true,
                                         by: .user(fixture.admin.id))
    }

    /// Every page of `findDuplicates`.
    private func allPairs(_ store: CustomerStore, limit: Int = 100) throws -> [StoredDuplicatePair] {
        var pairs: [StoredDuplicatePair] = [], token: String?
        repeat {
            let page = try store.findDuplicates(limit: limit, pageToken: token)
            pairs += page.pairs
            token = page.nextPageToken
        } while token != nil
        return pairs
    }

    @Test func spellingsOfOneCompanyArePairedWithTheirReasons() throws {
        let fixture = try Fixture()
        let nokia = try create(fixture, "Nokia Oyj", vat: "FI01120389", country: "FI", email: "info@nokia.com",
                               phone: "+358 10 448 8000")
        let nokiaAgain = try create(fixture, "NOKIA oy", vat: "fi 0112038-9", country: "FI", website: "www.Nokia.com/en",
                                    phone: "010 4488000")
        let mueller = try create(fixture, "Müller GmbH", email: "anna@gmail.com")
        let muellerBV = try create(fixture, "Muller B.V.", email: "jan@gmail.com")
        _ = try create(fixture, "Unrelated Ltd", email: "x@gmail.com")
        let pairs = try allPairs(fixture.store)
        #expect(pairs.count == 2)
        let first = try #require(pairs.first)
        #expect(first.first.id == nokia.id && first.second.id == nokiaAgain.id)
        #expect(first.reasons == [.sameVatNumber, .sameName, .sameDomain, .samePhone])
        #expect(first.score == 100)
        #expect(first.second.name == "NOKIA oy")
        let second = try #require(pairs.last)
        #expect(second.first.id == mueller.id && second.second.id == muellerBV.id)
        #expect(second.reasons == [.sameName])   // a public mail domain says nothing
        #expect(second.score == 40)
    }

    @Test func pagesTogetherListEveryPairOnce() throws {
        let fixture = try Fixture()
        for index in 0..<7 { _ = try create(fixture, "Twin \(index % 3) Oy") }   // groups of 3, 2 and 2
        let onePage = try allPairs(fixture.store)
        #expect(onePage.count == 3 + 1 + 1)
        let paged = try allPairs(fixture.store, limit: 1)
        #expect(paged == onePage)
        #expect(storeError { _ = try fixture.store.findDuplicates(limit: 10, pageToken: "nonsense") }
            == .invalid("pageToken", "is not a page token of FindDuplicates"))
    }

    @Test func aKeyTooManyShareIsNoReason() throws {
        let fixture = try Fixture()
        let limit = CustomerStore.duplicateGroupLimit
        for index in 1...limit { _ = try create(fixture, "Franchise \(index)", website: "https://franchise.example") }
        #expect(try allPairs(fixture.store).count == limit * (limit - 1) / 2)
        _ = try create(fixture, "Franchise \(limit + 1)", website: "https://franchise.example")
        #expect(try allPairs(fixture.store).isEmpty)
    }

    @Test func keysFollowUpdatesAndErasure() throws {
        let fixture = try Fixture()
        let first = try create(fixture, "Alpha Oy"), second = try create(fixture, "Beta Oy")
        #expect(try allPairs(fixture.store).isEmpty)
        _ = try fixture.store.updateCustomer(id: second.id, CustomerChanges(name: "Alpha AB"), expectedVersion: nil,
                                             by: .user(fixture.admin.id))
        #expect(try allPairs(fixture.store).map(\.second.id) == [second.id])
        try fixture.store.deleteCustomer(id: first.id, by: .user(fixture.admin.id))
        #expect(try allPairs(fixture.store).isEmpty)
    }

    @Test(arguments: [
        ("Oy Nokia Ab", "nokia"), ("Acme B.V.", "acme"), ("Acme N.V.", "acme"), ("Fjord AS", "fjord"), ("Fjord ASA", "fjord"),
        ("Smith & Sons Ltd.", "smith sons"), ("Ångström GmbH", "angstrom"), ("Oy", nil), ("A/S Bygg", "bygg"),
    ] as [(String, String?)])
    func namesFoldCaseAccentsAndLegalForms(name: String, key: String?) {
        #expect(MatchKey.name(name) == key)
    }

    @Test func phonesBecomeE164() {
        #expect(MatchKey.e164("040 123 4567", country: "FI") == "+358401234567")
        #expect(MatchKey.e164("+358 (0)40 123 4567", country: nil) == "+358401234567")
        #expect(MatchKey.e164("0046 8 123 456", country: "FI") == "+468123456")
        #expect(MatchKey.e164("040 123 4567", country: nil) == nil)
    }
}

import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Customers stored before version 10 (which added `business_id`) get the business id their VAT
/// number names when a store with the country rules opens the upgraded database (migration 14
/// lists them; `backfillBusinessIDs` works the list off).
@Suite struct BusinessIDBackfillTests {
    /// Finland's and Norway's derivations in small (the real rules are BusinessIdentifiers', which
    /// the store's tests do not import): FI + 8 digits names `NNNNNNN-N`, NO + 9 digits + MVA the
    /// nine digits; a German number names none; anything else is refused.
    struct Refused: Error {}
    static let rule: VATNumberNormaliser = { vatNumber, _ in
        let digits = vatNumber.filter(\.isNumber)
        if vatNumber.hasPrefix("FI"), digits.count == 8 {
            return NormalisedVATNumber(vatNumber: vatNumber, businessID: digits.prefix(7) + "-" + digits.suffix(1))
        }
        if vatNumber.hasPrefix("NO"), vatNumber.hasSuffix("MVA"), digits.count == 9 {
            return NormalisedVATNumber(vatNumber: vatNumber, businessID: digits)
        }
        if vatNumber.hasPrefix("DE") { return NormalisedVATNumber(vatNumber: vatNumber, businessID: nil) }
        throw Refused()
    }

    /// A version-9 database (before `business_id`) with customers written by version-9 SQL.
    static func legacyDatabase() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        var old = StoreOptions()
        old.migrateUpTo = 9
        let store = try CustomerStore(path: directory.databasePath, options: old)
        defer { store.close() }
        let admin = try insertLegacyUser(store, uid: 7, name: "dora", isAdministrator: true)
        try store.write { connection in
            try connection.run("""
                INSERT INTO customers (id, number, name, name_key, search_text, vat_number, country, created_at,
                    created_by, updated_at, updated_by)
                VALUES (1, 10001, 'Nokia Oyj', 'nokia oyj', 'nokia oyj', 'FI01120389', 'FI', 1000, ?1, 2000, ?1),
                       (2, 10002, 'Equinor ASA', 'equinor asa', 'equinor asa', 'NO923609016MVA', NULL, 1000, ?1, 2000, ?1),
                       (3, 10003, 'Beispiel GmbH', 'beispiel gmbh', 'beispiel gmbh', 'DE136695976', 'DE', 1000, ?1, 2000, ?1),
                       (4, 10004, 'Ohne AB', 'ohne ab', 'ohne ab', NULL, 'SE', 1000, ?1, 2000, ?1),
                       (5, 10005, 'Vanha Oy', 'vanha oy', 'vanha oy', 'FI123', 'FI', 1000, ?1, 2000, ?1)
                """, [.integer(admin)])
        }
        return directory
    }

    static func pending(_ store: CustomerStore) throws -> Int64 {
        try store.write { connection in
            try connection.withStatement("SELECT count(*) FROM business_id_backfill") { try $0.step() ? $0.int64(0) : -1 }
        }
    }

    @Test func anUpgradedDatabaseGetsTheBusinessIDsItsVATNumbersNameOnce() throws {
        let directory = try Self.legacyDatabase()
        var options = StoreOptions()
        options.vatNormaliser = Self.rule
        let upgraded = try CustomerStore(path: directory.databasePath, options: options)
        #expect(upgraded.appliedMigrations == Migrations.all.map(\.version).filter { $0 >= 10 })

        let nokia = try upgraded.customer(id: 1)
        #expect(nokia.businessID == "0112038-9")
        #expect(try upgraded.customer(id: 2).businessID == "923609016")  // no country: the prefix's rule
        #expect(try upgraded.customer(id: 3).businessID == nil)  // the number names none
        #expect(try upgraded.customer(id: 4).businessID == nil)  // no number
        #expect(try upgraded.customer(id: 5).businessID == nil)  // refused today: left as stored
        #expect(try upgraded.customer(id: 5).vatNumber == "FI123")
        // Derived data, no edit: no new version, no history entry.
        #expect(nokia.version == 1 && nokia.updatedAt == Date(milliseconds: 2_000))
        #expect(try upgraded.history(.customer, id: 1).isEmpty)
        #expect(try Self.pending(upgraded) == 0)
        // Its new search text is in the search index, which follows the history (none here): the
        // backfill rebuilt it.
        let byBusinessID = try CustomerListingQuery(CustomerFilter(search: "0112038-9"), order: .byName)
        #expect(try upgraded.read { try byBusinessID.page($0, after: nil, limit: 10, reading: .index) }.customers.map(\.id) == [1])
        // Duplicates find it by the business id, as they find a customer stored today with that number.
        let vatKey = try upgraded.write { connection in
            try connection.withStatement("SELECT key FROM customer_match_keys WHERE customer_id = 1 AND kind = 'vat'") {
                try $0.step() ? $0.text(0) : nil
            }
        }
        #expect(vatKey == MatchKey.keys(name: "Nokia Oyj", vatNumber: "FI01120389", businessID: "0112038-9", country: "FI",
                                        email: nil, website: nil, phone: nil).first { $0.kind == .vat }?.key)
        upgraded.close()

        // A second open has nothing left to do and changes nothing.
        let again = try CustomerStore(path: directory.databasePath, options: options)
        #expect(again.appliedMigrations.isEmpty)
        #expect(try again.customer(id: 1) == nokia)
        again.close()
    }

    @Test func aStoreOpenedWithoutTheRulesLeavesTheListForOneThatHasThem() throws {
        let directory = try Self.legacyDatabase()
        let plain = try CustomerStore(path: directory.databasePath)
        #expect(try plain.customer(id: 1).businessID == nil)
        #expect(try Self.pending(plain) == 4)  // every stored number without a business id
        plain.close()

        var options = StoreOptions()
        options.vatNormaliser = Self.rule
        let served = try CustomerStore(path: directory.databasePath, options: options)
        #expect(try served.customer(id: 1).businessID == "0112038-9")
        #expect(try Self.pending(served) == 0)
        served.close()
    }
}

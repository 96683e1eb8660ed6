import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Migration 26 (unicode23) folds the unique names: what it does with rows that collide once
/// case beyond ASCII and the canonical form no longer tell them apart.
@Suite struct NameFoldMigrationTests {
    @Test func collidingNamesAreKeptWithASuffixWithinTheirLimitAndRecorded() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        let longUser = String(repeating: "Ä", count: 64)
        do {
            var options = StoreOptions()
            options.migrateUpTo = Migrations.nameFolds.version - 1
            let store = try CustomerStore(path: path, options: options)
            try insertLegacyUser(store, uid: 42, name: "carol", isAdministrator: true)
            // Two users one name ignoring case, at the 64-character limit; two one name in two forms.
            try insertLegacyUser(store, uid: 43, name: longUser, isAdministrator: false)
            try insertLegacyUser(store, uid: 44, name: longUser.lowercased(), isAdministrator: false)
            try insertLegacyUser(store, uid: 45, name: "Ka\u{308}the", isAdministrator: false)
            try insertLegacyUser(store, uid: 46, name: "KÄTHE", isAdministrator: false)
            try store.write { connection in
                // Siblings collide (NOCASE told "Ä" from "ä"), the same name under another parent does not;
                // "Ärzte (2)" is taken already.
                try connection.run("INSERT INTO segments (id, parent_id, name) VALUES (1, NULL, 'Health')")
                // Only white space, as a server before unicode22 could take it: kept, not emptied.
                try connection.run("INSERT INTO industries (name) VALUES (?)", [.text("\u{3000}\u{A0}")])
                for (parent, name) in [(1, "Ärzte"), (1, "ärzte"), (1, "Ärzte (2)"), (nil, "ärzte")] as [(Int64?, String)] {
                    try connection.run("INSERT INTO segments (parent_id, name) VALUES (?, ?)", [SQLValue(parent), .text(name)])
                }
            }
            store.close()
        }

        let upgraded = try CustomerStore(path: path)
        let users = try upgraded.listUsers().map(\.name)
        #expect(users.contains(longUser))
        let renamedUsers = users.filter { $0.hasSuffix(")") }
        #expect(Set(renamedUsers) == [String(repeating: "ä", count: 60) + " (2)", "KÄTHE (2)"], "\(users)")
        #expect(users.contains { Array($0.unicodeScalars) == Array("K\u{E4}the".unicodeScalars) }, "composed")
        let segments = try upgraded.segments().map(\.displayPath)
        #expect(Set(segments) == ["Health", "Health / Ärzte", "Health / Ärzte (2)", "Health / ärzte (3)", "ärzte"],
                "\(segments)")

        #expect(upgraded.namesRenamedAtOpen.map(\.table) == ["users", "users", "segments"])
        #expect(try upgraded.industries().map(\.name) == ["\u{3000}\u{A0}"])
        let segment = try #require(upgraded.namesRenamedAtOpen.last)
        #expect((segment.oldName, segment.newName, segment.keptName) == ("ärzte", "ärzte (3)", "Ärzte"))
        // Every name is now stored composed and found by any case of it.
        #expect(try upgraded.user(name: String(repeating: "ä", count: 64))?.name == longUser)
        #expect(try upgraded.user(name: "ka\u{308}the")?.name == "Käthe")
        #expect(try upgraded.user(name: String(repeating: "A\u{308}", count: 60) + " (2)") != nil)

        upgraded.close()
        let reopened = try CustomerStore(path: path)
        #expect(reopened.namesRenamedAtOpen.isEmpty, "logged once, at the start that migrated")
        reopened.close()
    }
}

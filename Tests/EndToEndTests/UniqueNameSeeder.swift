// Only the store here, @testable: its record names would clash with the API's.
@testable import CustomerStore
import Foundation
import Glibc

/// Writes unique names as main's server (schema version 24, before unicode23) had stored them:
/// names differing only in case beyond ASCII side by side, and names decomposed, as a server
/// before unicode22 stored them as sent.
enum UniqueNameSeeder {
    /// A fresh directory with a version-24 database: this process's user as administrator;
    /// keywords "ÉCOLE", "école", "Café" (decomposed), "VIP" and "VI\u{200B}P"; industries "Café
    /// Society" (decomposed), "ACME" and full-width "ＡＣＭＥ";
    /// profiles "Fältsäljare" in NFC and in NFD.
    static func mainDatabase() throws -> URL {
        try LegacySchemaSeeder.database(version: 24) { connection in
            try connection.run("""
                INSERT INTO users (uid, name, is_administrator, active, created_at, profile_id)
                VALUES (?, 'tester', 1, 1, 0, (SELECT id FROM permission_profiles WHERE built_in = 'administrator'))
                """, [.integer(Int64(getuid()))])
            for name in ["\u{C9}COLE", "\u{E9}cole", "Cafe\u{301}", "VIP", "VI\u{200B}P"] {
                try connection.run("INSERT INTO labels (kind, name) VALUES ('keyword', ?)", [.text(name)])
            }
            for name in ["Cafe\u{301} Society", "ACME", "\u{FF21}\u{FF23}\u{FF2D}\u{FF25}"] {
                try connection.run("INSERT INTO industries (name) VALUES (?)", [.text(name)])
            }
            for name in ["F\u{E4}lts\u{E4}ljare", "Fa\u{308}ltsa\u{308}ljare"] {
                try connection.run("""
                    INSERT INTO permission_profiles (name, read_customers, edit_customers, financial_figures,
                        delete_customers, manage_contacts, administration, created_at, updated_at)
                    VALUES (?, 'all', 'own', 0, 0, 1, 0, 0, 0)
                    """, [.text(name)])
            }
        }
    }

    /// A fresh directory with a version-26 database, each `name_fold` as version 26's fold wrote
    /// it (variation selectors, Hangul fillers and the combining grapheme joiner kept): this
    /// process's user as administrator; keywords "VIP" and "VIP\u{FE0F}"; industries "AB",
    /// "A\u{3164}B", "\u{3164}" and "\u{115F}"; users "ab" and "a\u{034F}b"; and a renaming version
    /// 26 recorded (and logged) when it ran.
    static func version26Database() throws -> URL {
        try LegacySchemaSeeder.database(version: 26) { connection in
            try connection.run("""
                INSERT INTO users (uid, name, name_fold, is_administrator, active, created_at, profile_id)
                VALUES (?, 'tester', 'tester', 1, 1, 0, (SELECT id FROM permission_profiles WHERE built_in = 'administrator'))
                """, [.integer(Int64(getuid()))])
            for (uid, name, fold) in [(70_041, "ab", "ab"), (70_042, "a\u{034F}b", "a\u{034F}b")] {
                try connection.run("""
                    INSERT INTO users (uid, name, name_fold, is_administrator, active, created_at, profile_id)
                    VALUES (?, ?, ?, 0, 1, 0, (SELECT id FROM permission_profiles WHERE built_in = 'administrator'))
                    """, [.integer(Int64(uid)), .text(name), .text(fold)])
            }
            for (name, fold) in [("VIP", "vip"), ("VIP\u{FE0F}", "vip\u{FE0F}")] {
                try connection.run("INSERT INTO labels (kind, name, name_fold) VALUES ('keyword', ?, ?)",
                                   [.text(name), .text(fold)])
            }
            // What version 26 renamed when it ran, logged then: not again by migration 27.
            try connection.run("""
                INSERT INTO renamed_names (table_name, row_id, old_name, new_name, kept_id, kept_name)
                VALUES ('labels', 2, 'vip', 'vip (2)', 1, 'VIP')
                """)
            // NFKC maps the Hangul filler U+3164 to U+1160.
            for (name, fold) in [("AB", "ab"), ("A\u{3164}B", "a\u{1160}b"), ("\u{3164}", "\u{1160}"),
                                 ("\u{115F}", "\u{115F}")] {
                try connection.run("INSERT INTO industries (name, name_fold) VALUES (?, ?)", [.text(name), .text(fold)])
            }
        }
    }
}

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
}

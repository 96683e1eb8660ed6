@testable import CustomerStore
import SQLiteEngine

/// The opcodes of the program SQLite compiles for `sql` (EXPLAIN), on the store's writer: how a
/// test sees whether a statement builds an ephemeral table.
func explainedOpcodes(_ store: CustomerStore, _ sql: String) throws -> [String] {
    try store.write { connection in
        try connection.withStatement("EXPLAIN \(sql)") { statement in
            var opcodes: [String] = []
            while try statement.step() { opcodes.append(try statement.text("opcode")) }
            return opcodes
        }
    }
}

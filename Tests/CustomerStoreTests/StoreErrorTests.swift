import Testing
@testable import CustomerStore
import SQLiteEngine

@Suite struct StoreErrorTests {
    /// The one mapping from SQLite's extended result codes to store errors.
    @Test(arguments: [
        (Int32(2067), "UNIQUE constraint failed: customers.number", StoreError.alreadyExists("number is already taken", field: "number")),
        (2067, "UNIQUE constraint failed: users.uid", .alreadyExists("uid is already taken", field: "uid")),
        (2067, "UNIQUE constraint failed: users.name", .alreadyExists("name is already taken", field: "name")),
        (787, "FOREIGN KEY constraint failed",
         .failedPrecondition("a referenced record does not exist or is still referenced (ctx)")),
        (5, "database is locked", .unavailable("the database is busy (ctx); try again")),
        (517, "database is locked", .unavailable("the database is busy (ctx); try again")),
        (6, "database table is locked", .unavailable("the database is busy (ctx); try again")),
        (26, "file is not a database", .notADatabase("ctx")),
        (13, "database or disk is full",
         .resourceExhausted("the database's disk is full; writes fail until space is freed (reads still work)")),
        (11, "database disk image is malformed", .sqlite(SQLiteError(code: 11, message: "database disk image is malformed", context: "ctx"))),
    ])
    func sqliteCodesMapToStoreErrors(_ code: Int32, _ message: String, _ expected: StoreError) {
        #expect(StoreError(SQLiteError(code: code, message: message, context: "ctx")) == expected)
    }

    @Test func descriptionsNameTheProblem() {
        #expect(StoreError.schemaTooNew(found: 7, known: 2).description.contains("version 7 is newer than this program knows (2)"))
        #expect(StoreError.invalidArgument([FieldViolation(field: "email", reason: "bad"),
                                            FieldViolation(field: "phone", reason: "short")]).description
            == "invalid argument: email: bad; phone: short")
    }
}

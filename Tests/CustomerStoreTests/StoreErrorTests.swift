import Testing
@testable import CustomerStore
import Glibc
import SQLiteEngine

@Suite struct StoreErrorTests {
    /// The one mapping from SQLite's extended result codes to store errors.
    @Test(arguments: [
        (Int32(2067), "UNIQUE constraint failed: customers.number", StoreError.alreadyExists("is already taken", field: "number")),
        (2067, "UNIQUE constraint failed: users.uid", .alreadyExists("is already taken", field: "uid")),
        (2067, "UNIQUE constraint failed: users.name", .alreadyExists("is already taken", field: "name")),
        (787, "FOREIGN KEY constraint failed",
         .brokenRule("a referenced record does not exist or is still referenced", context: "ctx")),
        (5, "database is locked", .unavailable("the database is busy; try again")),
        (517, "database is locked", .unavailable("the database is busy; try again")),
        (6, "database table is locked", .unavailable("the database is busy; try again")),
        (26, "file is not a database", .notADatabase("ctx")),
        (4, "another write of the same transaction failed after changing rows", .unavailable(
            "the write was rolled back with the commit group it shared with another write that failed; nothing of it "
                + "was written, try again")),
        (13, "database or disk is full",
         .resourceExhausted(StoreError.diskFullMessage)),
        (11, "database disk image is malformed", .sqlite(SQLiteError(code: 11, message: "database disk image is malformed", context: "ctx"))),
    ])
    func sqliteCodesMapToStoreErrors(_ code: Int32, _ message: String, _ expected: StoreError) {
        #expect(StoreError(SQLiteError(code: code, message: message, context: "ctx")) == expected)
    }

    /// A write past the file-size limit fails EFBIG, which SQLite reports as SQLITE_IOERR_WRITE
    /// (778): the same answer as a full disk; an I/O error of a failing disk (EIO) stays what it is.
    @Test func aWriteRefusedByTheFileSizeLimitIsADiskFull() {
        let tooBig = SQLiteError(code: 778, message: "disk I/O error", context: "ctx", systemErrno: EFBIG)
        #expect(StoreError(tooBig) == .resourceExhausted(StoreError.diskFullMessage))
        #expect(StoreError.diskFullMessage.contains("file size limit reached"))
        let failing = SQLiteError(code: 778, message: "disk I/O error", context: "ctx", systemErrno: EIO)
        #expect(StoreError(failing) == .sqlite(failing))
    }

    /// Every descriptor taken (EMFILE for the process, ENFILE for the system): a file the store
    /// opens (an import's spool, an upload, a backup) or SQLite opens (SQLITE_CANTOPEN, 14) is a
    /// resource limit, not an internal error (before: INTERNAL, found holding every connection a
    /// server under `ulimit -n 1024` could take); another reason to fail stays an I/O error.
    @Test func noDescriptorLeftIsAResourceLimit() {
        for code in [EMFILE, ENFILE] {
            #expect(FileSystem.error("mkstemp", "/db/.customer-import-x", code) == .resourceExhausted(StoreError.descriptorsExhaustedMessage))
            let cannotOpen = SQLiteError(code: 14, message: "unable to open database file", context: "ctx", systemErrno: code)
            #expect(StoreError(cannotOpen) == .resourceExhausted(StoreError.descriptorsExhaustedMessage))
        }
        #expect(FileSystem.error("open", "/db/x", EACCES) == .io("open /db/x: Permission denied"))
        let denied = SQLiteError(code: 14, message: "unable to open database file", context: "ctx", systemErrno: EACCES)
        #expect(StoreError(denied) == .sqlite(denied))
    }

    /// A full disk (or quota) under an upload or an import's spool is a resource limit whose
    /// message, sent to the client, names no path (before: "no space left for file content (write
    /// /var/lib/…/.customer-import-x: …)", where the database lives).
    @Test func noSpaceLeftIsAResourceLimitNamingNoPath() {
        for code in [ENOSPC, EDQUOT] {
            let error = FileSystem.error("write", "/srv/customers/.customer-import-x", code)
            #expect(error == .resourceExhausted(StoreError.fileSpaceExhaustedMessage))
            #expect(!error.description.contains("/srv/customers"))
        }
    }

    @Test func descriptionsNameTheProblem() {
        #expect(StoreError.schemaTooNew(found: 7, known: 2).description.contains("version 7 is newer than this program knows (2)"))
        #expect(StoreError.invalidArgument([FieldViolation(field: "email", reason: "bad"),
                                            FieldViolation(field: "phone", reason: "short")]).description
            == "invalid argument: email: bad; phone: short")
    }
}

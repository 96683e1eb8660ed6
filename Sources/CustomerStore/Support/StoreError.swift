import SQLiteEngine

/// One invalid input field: its API name (camelCase) and why it was refused.
public struct FieldViolation: Sendable, Hashable, CustomStringConvertible {
    /// The field's name as the API spells it, e.g. `vatNumber`.
    public var field: String
    /// A human sentence saying what is wrong, without echoing the value.
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}

/// Every way a store call can fail. The server maps each case to one RPC status code.
///
/// Messages never contain bound values (names, emails, ...), only identifiers and field names,
/// so they are safe to log and to send to any caller.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The record a request field names does not exist (status NOT_FOUND): `field` is that field in
    /// the API's spelling (`id` of most requests, `customerId`, `projectId`, `name`, ...).
    case notFound(String, field: String = "id")
    /// The customer was merged into another (`into`, the end of the chain when that one was merged
    /// on too); it no longer exists (status NOT_FOUND, with a detail naming the survivor).
    case merged(String, into: Int64)
    /// A unique value is taken; `field` names it in the API's spelling (status ALREADY_EXISTS).
    case alreadyExists(String, field: String)
    /// Input broke one or more rules; all of them are listed (status INVALID_ARGUMENT).
    case invalidArgument([FieldViolation])
    /// An optimistic-concurrency conflict: the record changed since the caller read it (status
    /// ABORTED); `field` is the request field that made the call depend on it (`expectedVersion`).
    case aborted(String, field: String)
    /// The operation is refused in the records' current state (status FAILED_PRECONDITION): `field`
    /// is the request field (API spelling) naming the record or value at fault, e.g. `id` of a
    /// deleted customer or `force` of a label still in use; the message says why and what to do.
    case failedPrecondition(String, field: String)
    /// A rule of the records refused a write that the store's own checks let through (a trigger's
    /// `RAISE(ABORT, …)`, a foreign key, a write whose author does not exist): the server's bug,
    /// with no request field to name (status FAILED_PRECONDITION; the message is ours and names no
    /// values; `context`, SQL or what the store was doing, stays in the server's log).
    case brokenRule(String, context: String)
    /// The database or its folder is not as this program needs it: a folder that cannot be made, a
    /// table a migration finds not as the previous version left it, a row the schema always has
    /// missing. An operator's matter, never a request's (status INTERNAL; the message is logged).
    case unusable(String)
    /// The database is busy or locked beyond the busy timeout; retrying may succeed (status UNAVAILABLE).
    case unavailable(String)
    /// The database was written by a newer binary; it is refused and left untouched.
    case schemaTooNew(found: Int, known: Int)
    /// The file exists but is not an SQLite database (or is encrypted).
    case notADatabase(String)
    /// A limit was reached, e.g. an upload over the file size limit or a full disk (status RESOURCE_EXHAUSTED).
    case resourceExhausted(String)
    /// Stored content is missing or no longer matches its hash (status DATA_LOSS).
    case dataLoss(String)
    /// A database file was found shorter than SQLite wrote it while the server ran (its write-ahead
    /// log truncated by another process): the writes it held are lost, and every call is refused
    /// with this from then on (status DATA_LOSS). `cause`, SQLite's short read with its SQL, is
    /// kept for the server's log by the call that found it; the later refusals have none.
    case cutShort(String, cause: SQLiteError?)
    /// A file-system call failed; the message names the call, the path and errno's text (status INTERNAL).
    case io(String)
    /// The store was closed; no further calls are served.
    case closed
    /// A read was stopped because the call it served ended first (cancelled, deadline passed, its
    /// connection gone: see `InterruptibleReads`); nobody waits for its answer.
    case cancelled
    /// A write was made on a view that requires its call's admission (``CustomerStore/requiringAdmission()``)
    /// without one (``CustomerStore/answering(_:)``): a bug of the server, not of the request. The
    /// string names the write (the store method); nothing of it ran.
    case writeWithoutAdmission(String)
    /// The write's author (users.id) was deactivated after its call was admitted, while the write
    /// waited for the writer; nothing was written (status UNAUTHENTICATED, as the call would be
    /// refused if it started now).
    case authorDeactivated(Int64)
    /// The write's author (users.id) was given another profile, or its profile's rights changed,
    /// after its call was admitted, while the write waited for the writer; nothing was written, and
    /// a retry is checked against the rights the user has then (status ABORTED).
    case authorRightsChanged(Int64)
    /// Any other SQLite failure: the engine's error, with SQLite's extended result code and
    /// message and what the store was doing.
    case sqlite(SQLiteError)

    public var description: String {
        switch self {
        case .notFound(let message, let field): return "not found (\(field)): \(message)"
        case .merged(let message, _): return "not found: \(message)"
        case .alreadyExists(let message, let field): return "already exists (\(field)): \(message)"
        case .invalidArgument(let violations):
            return "invalid argument: " + violations.map(\.description).joined(separator: "; ")
        case .aborted(let message, let field): return "aborted (\(field)): \(message)"
        case .failedPrecondition(let message, let field): return "failed precondition (\(field)): \(message)"
        case .brokenRule(let message, let context): return "failed precondition: \(message) (while \(context))"
        case .unusable(let message): return message
        case .unavailable(let message): return "unavailable: \(message)"
        case .schemaTooNew(let found, let known):
            return "database schema version \(found) is newer than this program knows (\(known)); "
                + "refusing to open it. Upgrade the program"
        case .notADatabase(let path): return "not an SQLite database: \(path)"
        case .resourceExhausted(let message): return "resource exhausted: \(message)"
        case .dataLoss(let message): return "data loss: \(message)"
        case .cutShort(let message, let cause): return "data loss: \(message)" + (cause.map { " (\($0))" } ?? "")
        case .io(let message): return "I/O error: \(message)"
        case .closed: return "the store is closed"
        case .cancelled: return "the read was stopped: its call ended first"
        case .writeWithoutAdmission(let write):
            return "the write \(write) was made without its call's admission (CustomerStore.answering); nothing was written"
        case .authorDeactivated(let user):
            return "user \(user) was deactivated while this call waited to write; nothing was written"
        case .authorRightsChanged(let user):
            return "the rights of user \(user) changed while this call waited to write; nothing was written: retry"
        case .sqlite(let cause): return cause.description
        }
    }

    /// Refuses a write to a deleted (erased) customer, named by the request's `field`.
    public static func deletedCustomer(_ id: Int64, field: String) -> StoreError {
        .failedPrecondition("customer \(id) is deleted: an erased customer gets no new records or changes", field: field)
    }

    /// Refuses a write to or naming a deleted contact, named by the request's `field`.
    static func deletedContact(_ id: Int64, field: String) -> StoreError {
        .failedPrecondition("contact \(id) is deleted: a deleted contact gets no new records or changes", field: field)
    }

    /// A single-field `invalidArgument`.
    static func invalid(_ field: String, _ reason: String) -> StoreError {
        .invalidArgument([FieldViolation(field: field, reason: reason)])
    }
}

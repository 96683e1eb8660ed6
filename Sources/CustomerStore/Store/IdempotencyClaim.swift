import Hashing

/// A write sent with an idempotency key: who sent it, under which key, and what it asked for.
///
/// The first call with a key runs and, when it succeeds, its answer is stored with the key in the
/// same transaction; a later call by the same user with the same key gets that answer back instead
/// of running again. Keys are scoped per user: two users may use the same key independently.
public struct IdempotencyClaim: Sendable, Hashable {
    /// How long a key is remembered after its first successful use (24 hours, in milliseconds).
    public static let retentionMilliseconds: Int64 = 24 * 60 * 60 * 1_000
    /// The most of one move of the wall clock between two keyed writes that ages the keys (1 hour):
    /// a larger step, forward or back, is taken for the clock being set, not for time passing.
    public static let clockStepLimitMilliseconds: Int64 = 60 * 60 * 1_000

    /// The users.id the caller's OS user maps to (the service's, when a service acts for a person).
    public var userID: Int64
    /// The key as the client sent it (syntax checked by the server).
    public var key: String
    /// The method's full name, e.g. `customer.v1.CustomerService/CreateCustomer`.
    public var method: String
    /// SHA-256 (hex) of everything the answer depends on besides the user: the request message
    /// and, for a service acting for a person, that person.
    public var requestSHA256: String

    /// - Parameter request: the bytes whose SHA-256 tells one request from another.
    public init(userID: Int64, key: String, method: String, request: [UInt8]) {
        self.userID = userID
        self.key = key
        self.method = method
        requestSHA256 = Hex.encode(SHA256.hash(request))
    }

    /// - Parameter requestSHA256: the SHA-256 (hex) of a request too large to hold at once (a client stream).
    public init(userID: Int64, key: String, method: String, requestSHA256: String) {
        self.userID = userID
        self.key = key
        self.method = method
        self.requestSHA256 = requestSHA256
    }
}

/// What a keyed write came to.
public enum IdempotentOutcome: Sendable, Equatable {
    /// The key was new: the write ran and committed; this is its answer, now stored with the key.
    case ran([UInt8])
    /// The key was used before for the same request: its first answer, and nothing ran.
    case replayed([UInt8])
    /// The key was used before for another request (`method` names the first one's); nothing ran.
    case conflict(method: String)
    /// The key was used before for the same request, which was done, but its answer was dropped
    /// when data it carried was erased (``CustomerStore/forgetAnswers(_:mentioning:)``); nothing ran.
    case forgotten
}

/// What a write that keeps its key itself came to: an import and an upload in their own
/// transaction, their request whole only once their stream has ended; a backup in its manifest.
public enum KeyedOutcome<Value: Sendable & Equatable>: Sendable, Equatable {
    /// The key was new: the write ran; its key is stored with its answer when it was kept.
    case ran(Value)
    /// The key was used before: what it came to then (`.replayed`, `.conflict`, `.forgotten`); nothing was kept.
    case earlier(IdempotentOutcome)
}

/// One detail of a failed call: which field was invalid (for programs) and why (for people).
public struct ErrorDetail: Sendable, Hashable, Codable {
    /// The request field the detail is about (`"name"`, `"query.changedSince"`), or empty.
    public var field: String
    /// What is wrong, as a short English text (`"must be 1 to 200 characters after trimming"`); a
    /// few details carry a value to act on instead (PROTOCOL.md §6.1: `right`, `after`, `mergedInto`).
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// `field: reason`, or the reason alone when no field is named.
    public var text: String { field.isEmpty ? reason : "\(field): \(reason)" }

    enum CodingKeys: Int, CodingKey {
        case field = 1
        case reason = 2
    }
}

/// The one error that crosses the wire: a status code, a human message, details and trailing metadata.
///
/// Every error thrown by the client channel is an `RPCError`. A handler may throw it directly; other
/// errors are converted (see ``RPCErrorConvertible``) or become `INTERNAL` with a generic message.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: StatusCode
    public var message: String
    public var details: [ErrorDetail]
    public var trailers: Metadata
    /// What caused this error on this side of the connection, when it came from another error (as
    /// grpc-swift-2's `RPCError.cause`): the `IOError` of a failed connect, the SQLite failure behind
    /// an `INTERNAL`. It never crosses the wire: the server logs it with a reference the caller gets.
    public var cause: (any Error)?

    public init(_ code: StatusCode, _ message: String, details: [ErrorDetail] = [], trailers: Metadata = Metadata(),
                cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.trailers = trailers
        self.cause = cause
    }

    /// Equal when what the wire carries is equal; the cause, which stays home, is left out.
    public static func == (lhs: RPCError, rhs: RPCError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.details == rhs.details && lhs.trailers == rhs.trailers
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(details)
        hasher.combine(trailers)
    }

    /// `"INVALID_ARGUMENT: name is required (name: required)"`: each detail the message does not
    /// already state, so a detail is said once.
    public var description: String {
        var text = "\(code): \(message)"
        let unstated = unstatedDetails
        if !unstated.isEmpty {
            text += " (" + unstated.map(\.text).joined(separator: ", ") + ")"
        }
        return text
    }

    /// The details whose text (`field: reason`) the message does not already contain.
    public var unstatedDetails: [ErrorDetail] {
        details.filter { !message.contains($0.text) }
    }
}

/// An error that knows which status it stands for, so domain errors convert themselves
/// (e.g. a validation error becomes `INVALID_ARGUMENT` with field details). When the status keeps
/// the detail from the caller (its message then says the server log has it), `rpcError` carries
/// the error itself as its ``RPCError/cause``, and the server logs it.
public protocol RPCErrorConvertible: Error {
    var rpcError: RPCError { get }
}

extension RPCError {
    /// The status a handler's error becomes on the wire; anything that is neither an `RPCError` nor
    /// convertible becomes `INTERNAL` with a generic message and itself as the cause.
    package static func from(handlerError error: any Error) -> RPCError {
        if let error = error as? RPCError { return error }
        if let convertible = error as? any RPCErrorConvertible { return convertible.rpcError }
        return RPCError(.internalError, "internal error; the server log has the cause", cause: error)
    }
}

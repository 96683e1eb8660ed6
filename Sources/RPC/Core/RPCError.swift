/// One machine-readable detail of a failed call, e.g. which field was invalid and why.
public struct ErrorDetail: Sendable, Hashable, Codable {
    /// The request field the detail is about (`"name"`, `"address.postcode"`), or empty.
    public var field: String
    /// A short machine-readable reason (`"required"`, `"too_long"`).
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
/// Every error thrown by ``ClientChannel`` is an `RPCError`. A handler may throw it directly; other
/// errors are converted (see ``RPCErrorConvertible``) or become `INTERNAL` with a generic message.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: StatusCode
    public var message: String
    public var details: [ErrorDetail]
    public var trailers: Metadata

    public init(_ code: StatusCode, _ message: String, details: [ErrorDetail] = [], trailers: Metadata = Metadata()) {
        self.code = code
        self.message = message
        self.details = details
        self.trailers = trailers
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
/// (e.g. a validation error becomes `INVALID_ARGUMENT` with field details).
public protocol RPCErrorConvertible: Error {
    var rpcError: RPCError { get }
    /// What the server logs when `rpcError` keeps the cause from the caller (its message then says
    /// the server log has it); nil when the status says all there is.
    var hiddenCause: String? { get }
}

extension RPCErrorConvertible {
    public var hiddenCause: String? { nil }
}

extension RPCError {
    /// The status a handler's error becomes on the wire, and the cause to log when the client
    /// only sees a generic message.
    static func from(handlerError error: any Error) -> (error: RPCError, hiddenCause: String?) {
        if let error = error as? RPCError { return (error, nil) }
        if let convertible = error as? any RPCErrorConvertible { return (convertible.rpcError, convertible.hiddenCause) }
        return (RPCError(.internalError, "internal error; the server log has the cause"), "\(error)")
    }
}

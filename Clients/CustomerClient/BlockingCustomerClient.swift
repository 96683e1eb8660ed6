/// A client for callers that own their threads (a worker pool, a C-style server loop): every call
/// blocks the calling thread, which writes the request and reads its own response, with no hand-off
/// to another thread. Threads may share one client; they take turns reading its connection.
///
/// ```swift
/// let client = BlockingCustomerClient()
/// let customer = try client.call(CustomerService.getCustomer, GetCustomerRequest(id: 42))
/// ```
///
/// Never use it from a Swift concurrency task or a Dispatch queue: their threads are the
/// cooperative pool's, and a call from a task is refused with FAILED_PRECONDITION. Async code uses
/// ``CustomerClient``; both may share a ``ClientChannel``.
public final class BlockingCustomerClient: Sendable {
    public let channel: ClientChannel

    /// - Parameter socketPath: the server's socket; the default (nil) follows the rule customerd
    ///   uses, and refuses another user's server there, as for ``CustomerClient``.
    public convenience init(socketPath: String? = nil, configuration: ClientConfiguration = ClientConfiguration()) {
        self.init(channel: .customer(socketPath: socketPath, configuration: configuration))
    }

    /// A blocking client over an existing channel (e.g. the one a ``CustomerClient`` uses).
    public init(channel: ClientChannel) {
        self.channel = channel
    }

    /// Calls any unary method of the customer API (the descriptors in `CustomerService`,
    /// `ContactService`, ...); a write gets an idempotency key and its retries, as with
    /// ``CustomerClient``. Every error thrown is an `RPCError`.
    public func call<Input, Output>(
        _ method: UnaryMethod<Input, Output>, _ request: Input, options: CallOptions = CallOptions()
    ) throws(RPCError) -> Output {
        try channel.callBlocking(method, request, options: options)
    }

    /// Closes the connection; calls in flight end with CANCELLED, later calls fail with UNAVAILABLE.
    public func close() {
        channel.close()
    }
}

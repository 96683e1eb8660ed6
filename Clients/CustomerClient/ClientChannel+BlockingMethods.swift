import CustomerAPI
import Glibc
import RPCClient

extension ClientChannel {
    /// Calls a typed unary method on the calling thread, which must be a thread of the caller's
    /// own (see ``ClientChannel/unaryBlocking(_:payload:options:)``); as ``call(_:_:options:)-swift.method``,
    /// a write that accepts an idempotency key gets one and is sent again while it fails UNAVAILABLE,
    /// the pauses slept on this thread.
    public func callBlocking<Input, Output>(
        _ method: UnaryMethod<Input, Output>, _ request: Input, options: CallOptions = CallOptions()
    ) throws(RPCError) -> Output {
        guard method.acceptsIdempotencyKey else {
            return try unaryBlocking(method.descriptor, request, as: Output.self, options: options)
        }
        var retries = KeyedRetries(options)
        while true {
            do throws(RPCError) {
                return try unaryBlocking(method.descriptor, request, as: Output.self, options: retries.options)
            } catch {
                Self.sleepOnThisThread(try retries.pause(after: error))
            }
        }
    }

    private static func sleepOnThisThread(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        // nanosleep(2) returns early on a signal, with what remains: sleep that too.
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

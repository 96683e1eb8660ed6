import CustomerAPI
import RPCClient

/// The attempts of a keyed write (``ClientChannel/call(_:_:options:)-swift.method``): the options
/// with the key, and the pause before the next attempt, shared by the async and the blocking calls.
struct KeyedRetries {
    /// What the next attempt sends: the caller's options with a key, and what is left of the timeout.
    private(set) var options: CallOptions
    private let deadline: ContinuousClock.Instant?
    private var number = 1

    init(_ options: CallOptions) {
        var keyed = options
        if keyed.idempotencyKey == nil { keyed.idempotencyKey = IdempotencyKey.generate() }
        self.options = keyed
        deadline = options.timeout.map { ContinuousClock.now + $0 }
    }

    /// After an attempt failed with `error`: the pause before the next one, or `error` rethrown
    /// when it may not be retried (not UNAVAILABLE, attempts used up, or no time left after the pause).
    mutating func pause(after error: RPCError) throws(RPCError) -> Duration {
        guard error.code == .unavailable, number < IdempotencyKey.attempts else { throw error }
        let pause = IdempotencyKey.retryPause * number
        if let deadline {
            let left = deadline - ContinuousClock.now - pause
            guard left > .zero else { throw error }
            options.timeout = left
        }
        number += 1
        return pause
    }
}

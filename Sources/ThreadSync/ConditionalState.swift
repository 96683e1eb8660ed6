/// A value that threads share, guarded by one lock, with one condition variable for threads that
/// sleep until another thread changes it (a queue's jobs, a pipe's bytes, a server's state).
///
/// It is the one place the thread-based parts of the runtime and the engine need
/// `@unchecked Sendable`, so the types built on it are plainly `Sendable`. Safety: `state` is only
/// reached inside ``withLock(_:)`` or ``withCondition(_:)``, both of which hold `lock` for the whole
/// of their body (a wait releases it and takes it back before returning); `State` is `Sendable`, so
/// what a body returns may cross threads.
package final class ConditionalState<State: Sendable>: @unchecked Sendable {
    private let lock = ConditionLock()
    private var state: State

    package init(_ initial: State) { state = initial }

    /// Runs `body` with the lock held; `body` must not block.
    package func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }

    /// Runs `body` with the lock held, handing it a ``Held`` through which it reads and writes the
    /// state and may sleep on the condition (the lock is released while it sleeps).
    package func withCondition<Result>(_ body: (Held) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(Held(owner: self))
    }

    /// Wakes one sleeping thread. Signalling without the lock is allowed: a waiter checks the state
    /// under the lock before it sleeps, so a change made under the lock is never missed.
    package func signal() { lock.signal() }

    /// Wakes every sleeping thread.
    package func broadcast() { lock.broadcast() }

    /// The lock-holder's view, valid only inside the ``withCondition(_:)`` body it was given to.
    ///
    /// `state` is reached through the owner on every access, never held across a wait, so what
    /// another thread wrote while this one slept is what it reads next.
    package struct Held {
        fileprivate let owner: ConditionalState

        package var state: State {
            _read { yield owner.state }
            nonmutating _modify { yield &owner.state }
        }

        /// Sleeps until signalled (or spuriously); callers re-check their condition in a loop.
        package func wait() { owner.lock.wait() }

        /// Sleeps until signalled or `deadline`; false when the deadline passed.
        @discardableResult
        package func wait(until deadline: ContinuousClock.Instant) -> Bool { owner.lock.wait(until: deadline) }

        /// Sleeps until `isReady(state)` holds or `deadline` (nil: no deadline) passes; true when
        /// `isReady` holds on return.
        @discardableResult
        package func wait(until isReady: (State) -> Bool, deadline: ContinuousClock.Instant? = nil) -> Bool {
            while !isReady(owner.state) {
                if let deadline {
                    if !owner.lock.wait(until: deadline) { return isReady(owner.state) }
                } else {
                    owner.lock.wait()
                }
            }
            return true
        }

        package func signal() { owner.lock.signal() }

        package func broadcast() { owner.lock.broadcast() }
    }
}

@available(*, unavailable, message: "a Held is only valid on the thread that holds the lock")
extension ConditionalState.Held: Sendable {}

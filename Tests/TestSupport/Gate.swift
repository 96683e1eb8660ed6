import Dispatch

/// Holds a body until the test opens it, so the work started meanwhile queues behind it.
///
/// Both waits are bounded: a test that fails before opening the gate lets the held thread go
/// after `testWaitLimit`, and a body that never arrives fails the test instead of hanging it.
public final class Gate: Sendable {
    private let entered = DispatchSemaphore(value: 0)
    private let opened = DispatchSemaphore(value: 0)

    public init() {}

    /// Called inside the held body (on a thread of its own): tells the test it is in, then waits
    /// to be let go.
    public func hold() {
        entered.signal()
        _ = opened.wait(timeout: .now() + testWaitLimit)
    }

    /// Returns once a body is inside `hold()`.
    public func waitUntilHeld() async throws {
        try await onThread {
            guard self.entered.wait(timeout: .now() + testWaitLimit) == .success else {
                throw TestTimeout(what: "no body entered the gate", seconds: testWaitLimit)
            }
        }
    }

    public func open() {
        opened.signal()
    }
}

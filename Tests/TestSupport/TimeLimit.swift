import Foundation
import Synchronization

/// The bound of a fixture's whole body (`withTimeLimit`): beyond what the longest test body takes
/// on a loaded CI machine, below the 600 s of silence after which CI's watchdog ends the whole run.
/// A test that needs longer says so with its own bound.
public let testBodyLimit: Double = 540

/// Runs `body` in this very task, bounded: if it has not ended `seconds` later, `expire` runs on a
/// thread of its own to end what it waits on, and once it has ended the test fails with
/// `TestTimeout` naming `what`, whatever `body` gave.
///
/// For a fixture's whole body, which `withDeadline` cannot take: that moves its body into a task of
/// its own, so it must be `Sendable`. Here nothing is moved; the wait is ended from outside instead
/// (a server shut down ends every call in flight on it, calls after that fail at once), so a call
/// or a stream that never answers fails the test, named, long before CI's watchdog notices.
public func withTimeLimit<T>(seconds: Double = testBodyLimit, _ what: String, expire: @escaping @Sendable () -> Void,
                             _ body: () async throws -> T) async throws -> T {
    let limit = TimeLimit()
    Thread {
        guard limit.ended.wait(timeout: .now() + seconds) == .timedOut else { return }
        limit.expired.store(true, ordering: .sequentiallyConsistent)
        expire()
    }.start()
    let result: Result<T, any Error>
    do { result = .success(try await body()) } catch { result = .failure(error) }
    limit.ended.signal()
    if limit.expired.load(ordering: .sequentiallyConsistent) { throw TestTimeout(what: what, seconds: seconds) }
    return try result.get()
}

/// What `withTimeLimit`'s timer thread and its body share.
private final class TimeLimit: Sendable {
    /// Signalled once the body has ended, which ends the timer's wait early.
    let ended = DispatchSemaphore(value: 0)
    let expired = Atomic<Bool>(false)
}

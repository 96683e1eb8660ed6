import Foundation
import Synchronization

/// A wait in a test that did not end in time; the test fails with `what` instead of hanging.
public struct TestTimeout: Error, CustomStringConvertible {
    public let what: String
    public let seconds: Double
    public var description: String { "timed out after \(seconds) s: \(what)" }
}

/// The bound every wait in a test gets unless it says otherwise: far beyond what any wait needs
/// on a busy machine, far below CI's limit, so a stuck test fails with a name instead of hanging.
///
/// `CUSTOMERCARD_TEST_WAIT_LIMIT` (seconds) overrides it for a diagnosis only: a short bound names
/// a hanging test in minutes (e.g. a test that blocks the pool while it waits for pool work, in a
/// run pinned to one CPU with `taskset -c 0`), and forces a test's time-out path to run.
public let testWaitLimit: Double = {
    if let text = ProcessInfo.processInfo.environment["CUSTOMERCARD_TEST_WAIT_LIMIT"],
       let seconds = Double(text), seconds > 0, seconds <= 3600 {
        return seconds
    }
    return 300
}()

/// Runs `body` and returns its result, or throws `TestTimeout` once `seconds` pass first.
///
/// The body runs in a task of its own that is cancelled on time-out but never awaited after it:
/// a body that ignores cancellation (a blocked thread, a stream that never ends) cannot keep the
/// test from failing.
public func withDeadline<T: Sendable>(seconds: Double = testWaitLimit, _ what: String,
                                      _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let race = DeadlineRace<T>()
    return try await withCheckedThrowingContinuation { continuation in
        race.start(continuation)
        let work = Task {
            do { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) }
            race.bodyEnded.signal()
        }
        // The timer's thread ends with the body, so waits that end early leave no sleeping thread.
        Thread {
            guard race.bodyEnded.wait(timeout: .now() + seconds) == .timedOut else { return }
            race.finish(.failure(TestTimeout(what: what, seconds: seconds)))
            work.cancel()
        }.start()
    }
}

/// The continuation of `withDeadline`, resumed by whichever of the body and the timer ends first.
private final class DeadlineRace<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)
    /// Signalled once the body returned or threw.
    let bodyEnded = DispatchSemaphore(value: 0)

    func start(_ waiting: CheckedContinuation<T, any Error>) {
        continuation.withLock { $0 = waiting }
    }

    func finish(_ result: Result<T, any Error>) {
        continuation.withLock { waiting in
            waiting?.resume(with: result)
            waiting = nil
        }
    }
}

/// Checks `condition` every `interval` until it holds, for at most `seconds`: a polling loop that
/// fails the test naming `what` instead of spinning forever when the awaited state never comes.
public func waitUntil(seconds: Double = testWaitLimit, _ what: String, every interval: Duration = .milliseconds(1),
                      _ condition: @escaping @Sendable () async throws -> Bool) async throws {
    try await withDeadline(seconds: seconds, what) {
        while try await !condition() { try await Task.sleep(for: interval) }
    }
}

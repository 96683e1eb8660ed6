import Foundation
import Synchronization

/// Blocking work started at once on a thread of its own, awaited like a `Task`.
///
/// `Task { await onThread { ... } }` needs a cooperative-pool thread before the work can even start:
/// while other tests' synchronous bodies hold the pool, the work waits, and a bounded wait for it
/// (a `Gate`) fails for no fault of the code under test. This starts without the pool.
public final class ThreadTask<T: Sendable>: Sendable {
    private let outcome = Mutex<(result: Result<T, any Error>?, waiting: [CheckedContinuation<T, any Error>])>((nil, []))

    public init(_ body: @escaping @Sendable () throws -> T) {
        Thread { [self] in
            let result = Result { try body() }
            let waiting = outcome.withLock { state in
                state.result = result
                defer { state.waiting = [] }
                return state.waiting
            }
            for continuation in waiting { continuation.resume(with: result) }
        }.start()
    }

    /// The body's result, once it has returned.
    public var value: T {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                let finished: Result<T, any Error>? = outcome.withLock { state in
                    if let result = state.result { return result }
                    state.waiting.append(continuation)
                    return nil
                }
                if let finished { continuation.resume(with: finished) }
            }
        }
    }

    /// The body's result, once it has returned, as a `Result`.
    public var result: Result<T, any Error> {
        get async {
            do { return .success(try await value) } catch { return .failure(error) }
        }
    }
}

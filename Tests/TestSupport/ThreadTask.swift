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

extension ThreadTask {
    /// `count` threads started at once, the one at `index` running `body(index)`: unlike a task
    /// group's child tasks, none waits for a pool thread before its work starts.
    public static func many(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [ThreadTask<T>] {
        (0..<count).map { index in ThreadTask { body(index) } }
    }
}

extension Array {
    /// The threads' results, in their order, once all have returned.
    public func values<T: Sendable>() async throws -> [T] where Element == ThreadTask<T> {
        var results: [T] = []
        for thread in self { results.append(try await thread.value) }
        return results
    }
}

/// Runs `body` on `count` threads of their own, all started at once (``ThreadTask/many(_:_:)``);
/// the results in thread order.
public func onThreads<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) async throws -> [T] {
    try await ThreadTask.many(count, body).values()
}

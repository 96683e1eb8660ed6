import Foundation

/// Runs blocking `body` (a read from stdin, a blocking client call, a child process) on a new thread
/// and awaits its result without blocking the cooperative pool, whose few threads every task of
/// the executable shares.
public func runOnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.stackSize = 256 * 1024
        thread.start()
    }
}

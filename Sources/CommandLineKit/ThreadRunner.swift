import Foundation

/// Runs blocking `body` on a new thread and awaits its result without blocking the cooperative pool.
func runOnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.stackSize = 256 * 1024
        thread.start()
    }
}

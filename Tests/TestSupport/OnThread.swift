import Foundation

/// Runs blocking `body` on a thread of its own, so it never blocks the cooperative pool that
/// Swift Testing runs tests on (two threads on a 2-core machine: two tests blocking a pool thread
/// at once stall every other test).
public func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// `onThread` for a body that cannot throw.
public func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

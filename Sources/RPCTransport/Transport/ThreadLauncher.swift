import Glibc
import RPCCore

/// Starts detached POSIX threads with an explicit stack size.
///
/// Connection threads run handlers that may call into SQLite, so they get a real stack, but far
/// less than the 8 MiB default: hundreds of connections can each hold a few threads.
package enum ThreadLauncher {
    package static let stackSize = 512 * 1024

    private final class Box: Sendable {   // carries the body through pthread_create's untyped context
        package let body: @Sendable () -> Void
        package init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Runs `body` on a new detached thread.
    package static func start(_ body: @escaping @Sendable () -> Void) throws(IOError) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            throw IOError(call: "pthread_create", errno: result)
        }
    }
}

extension ThreadLauncher {
    /// Runs blocking `body` on a new thread and suspends the calling task until it returns, so no
    /// cooperative-pool thread waits. Should no thread start (out of resources), `body` runs on the
    /// caller's thread: late, but never lost.
    package static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            do {
                try start { continuation.resume(returning: body()) }
            } catch {
                continuation.resume(returning: body())
            }
        }
    }
}

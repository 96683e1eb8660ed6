import BusinessIdentifiers
import BusinessRegistry
import Dispatch
import RPCServing
import Synchronization

/// Runs a registry lookup, which is `async` (URLSession), from a synchronous handler.
///
/// Handlers run on the RPC server's connection threads: plain POSIX threads of our own, not
/// threads of Swift's cooperative pool. So the handler's thread may block: the lookup runs in a
/// detached task and the handler waits on a semaphore until it signals. The reverse would be
/// wrong: a pool thread blocked on a semaphore waits for work that needs a pool thread, and the
/// pool has only as many threads as cores (two on the CI machine), so a few concurrent refreshes
/// could deadlock it. The task itself never blocks, and it prefers `RegistryLookupExecutor`, so
/// it runs even while something else in the process holds every pool thread.
///
/// The wait is bounded: the provider enforces the directory's timeout itself, and the semaphore
/// waits that long plus `margin`, so even a provider that failed to stop cannot hold the
/// connection thread longer. The call's own cancellation (client cancel, deadline, shutdown)
/// cancels the task, which ends the HTTP request at once.
enum RegistryLookup {
    /// Beyond the directory's timeout: URLSession's own backstop fires up to a second after it.
    static let margin: Duration = .seconds(2)

    /// The registry's record for `id`, asked of `provider` within `timeout` (+ `margin`).
    /// - Parameter url: named in the error when the wait itself runs out.
    static func record(from provider: any RegistryProvider, for id: VATNumber, timeout: Duration, url: String,
                       context: ServerContext) throws(RegistryError) -> RegistryRecord {
        let outcome = Outcome()
        let task = Task.detached(executorPreference: RegistryLookupExecutor.shared) {
            let result: Result<RegistryRecord, RegistryError>
            do throws(RegistryError) {
                result = .success(try await provider.lookup(id))
            } catch {
                result = .failure(error)
            }
            outcome.finish(result)
        }
        let registration = context.onCancel { task.cancel() }
        defer { context.removeCancelHandler(registration) }
        let limit = timeout + margin
        guard outcome.wait(until: .now() + .nanoseconds(Self.nanoseconds(limit))) else {
            task.cancel()
            throw .unavailable(reason: "no answer within \(limit) (timed out)", url: url)
        }
        return try outcome.result.get()
    }

    /// Whole nanoseconds of `duration`, saturated for `DispatchTimeInterval`.
    static func nanoseconds(_ duration: Duration) -> Int {
        Int(clamping: duration.saturatingCount(of: .nanoseconds(1)))
    }

    /// The lookup's result, handed from the task to the waiting thread.
    private final class Outcome: Sendable {
        private let value = Mutex<Result<RegistryRecord, RegistryError>?>(nil)
        private let done = DispatchSemaphore(value: 0)

        func finish(_ result: Result<RegistryRecord, RegistryError>) {
            value.withLock { $0 = result }
            done.signal()
        }

        /// Waits for `finish`; false when `deadline` came first.
        func wait(until deadline: DispatchTime) -> Bool {
            done.wait(timeout: deadline) == .success
        }

        /// Read after `wait` returned true.
        var result: Result<RegistryRecord, RegistryError> {
            value.withLock { $0 } ?? .failure(.unavailable(reason: "the lookup ended without a result", url: ""))
        }
    }
}

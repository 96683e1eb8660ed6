import Dispatch

/// Where a call of the writer is between enqueueing and its answer.
enum PendingWriteState: Equatable {
    /// Waiting in the writer's queue.
    case queued
    /// Chosen to lead the next group: its thread wakes up and runs it (and what queued behind it).
    case leading
    /// Done: its result is final and its caller may return.
    case answered
}

/// One call waiting for the writer connection, with its type erased so calls of every result type
/// share one queue (see `GroupCommitWriter`).
protocol PendingWrite: AnyObject {
    /// Runs alone, outside any transaction of the writer (`withConnection`), instead of in a group.
    var isExclusive: Bool { get }
    /// Refuses only before its first change (`GroupCommitWriter.write(checksFirst:_:)`): runs in a group without a savepoint.
    var checksFirst: Bool { get }
    /// Queues its rows in the writer's ``GroupBatch`` instead of writing them (see
    /// `GroupCommitWriter.write(checksFirst:joiningBatch:admission:_:)`); checks first as well.
    var joinsBatch: Bool { get }
    /// Whether the call may still run, asked just before it runs (`GroupCommitWriter.write(checksFirst:admission:_:)`).
    /// - Throws: why not; the leader then fails the call with that error (``fail(_:)``) and skips it.
    func admit() throws
    /// Read and written only while the writer's lock is held.
    var state: PendingWriteState { get set }
    /// Signalled once, when the call is answered or chosen to lead; `nil` while nobody waits on it.
    var wakeUp: DispatchSemaphore? { get set }
    /// Its caller does not wait (`GroupCommitWriter.write(checksFirst:admission:handingOff:then:)`):
    /// whoever answers it runs its completion (``complete()``), and nobody waits to lead.
    var isHandedOff: Bool { get }
    /// Gives a handed-off call's outcome to its completion (once; nothing for a waiting caller).
    /// Call it after the call is answered, without the writer's lock.
    func complete()
    /// Runs the body (once) and records its value or error; rethrows the body's error.
    func run(_ connection: SQLiteConnection) throws
    /// Records `error` as the call's outcome instead of whatever the body returned (its group did not
    /// commit, or the writer closed first), and drops the body if it has not run.
    func fail(_ error: any Error)
}

/// A call of `GroupCommitWriter.write` or `withConnection` returning `T`.
///
/// It crosses threads without being `Sendable`: the caller creates it, the leader (often another
/// caller's thread) runs its body and records the result, the caller then reads the result. That is
/// safe because
/// - the caller is blocked in `GroupCommitWriter.perform` from enqueueing until the call is answered,
///   so the body and everything it captures are used by one thread at a time; a handed-off call's
///   body and completion are `@Sendable` instead (its caller goes on), and the completion runs
///   after the body, on the thread that ran it or on the completion thread it was handed to under
///   that thread's lock (`CompletionThread`), which orders the result's write before its read;
/// - the leader records the result before it marks the call answered under the writer's lock, and the
///   caller reads it only after seeing that mark under the same lock (the lock orders the accesses);
/// - the body of a waiting caller's call is dropped before the call is answered, so the caller's
///   `withoutActuallyEscaping` finds it unescaped; a handed-off call's body (`@Sendable`, escaping)
///   is dropped by ``complete()``, after the completion (see there why).
final class PendingCall<T>: PendingWrite {
    let isExclusive: Bool
    let checksFirst: Bool
    let joinsBatch: Bool
    var state = PendingWriteState.queued
    var wakeUp: DispatchSemaphore?
    private var body: ((SQLiteConnection) throws -> T)?
    private var admission: (() throws -> Void)?
    private var completion: ((Result<T, any Error>) -> Void)?
    let isHandedOff: Bool
    /// Whether the body ran (a handed-off call keeps its body until ``complete()``).
    private var hasRun = false
    /// The body's value, initialized once it returned (`hasValue`), in memory of the call's own.
    /// Why not a `Result<T, any Error>?`: the writer's thread runs this class's code unspecialized,
    /// and storing into that optional looked up the metadata of `Result<T, any Error>` and of its
    /// `Optional` in the runtime's caches every call (~850 of the writer's instructions a create,
    /// callgrind, docs/performance/HISTORY.md "create31"); a pointer to `T` needs only `T`'s, which the
    /// class's own metadata holds. Why not `result` starting as `closed` either: that error's box
    /// was made for every call and freed by the writer's thread (~400 a create, "create28").
    private let value = UnsafeMutablePointer<T>.allocate(capacity: 1)
    private var hasValue = false
    /// Why the call failed (its body's error, its group's, or why it never ran); it wins over a value.
    private var error: (any Error)?
    /// What the caller gets. `closed` until the body runs: a call that never runs was refused by `close()`.
    var result: Result<T, any Error> {
        if let error { return .failure(error) }
        guard hasValue else { return .failure(ConnectionClosedError()) }
        return .success(value.pointee)
    }

    init(isExclusive: Bool, checksFirst: Bool, joinsBatch: Bool = false, admission: (() throws -> Void)?,
         _ body: @escaping (SQLiteConnection) throws -> T,
         completion: ((Result<T, any Error>) -> Void)? = nil) {
        self.isExclusive = isExclusive
        self.checksFirst = checksFirst || joinsBatch
        self.joinsBatch = joinsBatch
        self.admission = admission
        self.body = body
        self.completion = completion
        isHandedOff = completion != nil
    }

    deinit {
        if hasValue { value.deinitialize(count: 1) }
        value.deallocate()
    }

    /// Drops a handed-off call's body after its completion, not when it ran: what the body
    /// captured (a create's prepared customer: its match keys, search parts and history text) is
    /// then freed on the thread that completes the call, often the writer's completion thread,
    /// instead of on the writer's own thread, which bounds creates per second (freeing it there
    /// cost ~2 200 of the writer's ~83 000 instructions a create at 64 connections, callgrind,
    /// docs/performance/HISTORY.md "create28").
    func complete() {
        guard let completion else { return }
        self.completion = nil
        completion(result)
        body = nil
    }

    func admit() throws {
        guard let admission else { return }
        self.admission = nil
        try admission()
    }

    func run(_ connection: SQLiteConnection) throws {
        guard !hasRun, let body else { return }
        hasRun = true
        if !isHandedOff { self.body = nil }
        do {
            value.initialize(to: try body(connection))
            hasValue = true
        } catch {
            self.error = error
            throw error
        }
    }

    func fail(_ error: any Error) {
        body = nil
        admission = nil
        self.error = error
    }
}

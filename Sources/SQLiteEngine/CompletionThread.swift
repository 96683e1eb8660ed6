import Foundation
import ThreadSync

/// A thread of its own that runs the completions of committed handed-off writes
/// (`PendingWrite.complete()`) for the writer's own thread, so the writer starts the next group
/// instead of answering the last one: one SQLite writer bounds creates per second, and at 64
/// callers creating customers the answers (encoding each member's customer and queueing its
/// frame) were ~16 000 of the writer's ~100 000 instructions a create (docs/performance/HISTORY.md,
/// answers20).
///
/// Groups are completed in the order they were handed over, each in its members' order, so a
/// connection's answers keep the order of their COMMITs. At most ``maxPendingGroups`` wait: the
/// writer waits for room beyond that (it is never a pool thread), so the queue holds a bounded
/// number of answers whatever the load.
final class CompletionThread: Sendable {
    /// Groups handed over and not yet completed, beyond which the writer waits.
    static let maxPendingGroups = 4

    /// One committed group's handed-off members. `@unchecked Sendable`: the writer hands it over
    /// under the state's lock and never touches its calls again; the completion thread takes it
    /// under the same lock, so each call is used by one thread at a time, its result written
    /// before the hand-over (see `PendingCall`).
    private struct Group: @unchecked Sendable {
        let calls: [any PendingWrite]
    }

    private struct State: Sendable {
        var pending: [Group] = []
        /// The thread is completing a group it took off `pending`.
        var isCompleting = false
        var isStarted = false
        /// The writer is gone: the thread ends once `pending` is empty.
        var isStopping = false
    }

    private let state = ConditionalState(State())

    /// Takes `calls` to complete on this thread when `always`, or when groups handed over before
    /// are still being completed (so they stay in order); waits while the queue is full.
    /// - Returns: false when the caller should complete them itself, at once.
    func take(_ calls: [any PendingWrite], always: Bool) -> Bool {
        guard !calls.isEmpty else { return true }
        let startThread = state.withCondition { held -> Bool? in
            guard always || held.state.isCompleting || !held.state.pending.isEmpty else { return nil }
            held.wait { $0.pending.count < Self.maxPendingGroups }
            held.state.pending.append(Group(calls: calls))
            held.broadcast()
            guard held.state.isStarted else {
                held.state.isStarted = true
                return true
            }
            return false
        }
        guard let startThread else { return false }
        if startThread {
            let thread = Thread { [self] in completeUntilStopped() }
            thread.name = "group-commit-answers"
            thread.start()
        }
        return true
    }

    /// Lets the thread end once it completed what it holds (the writer is going).
    func stop() {
        state.withLock { $0.isStopping = true }
        state.broadcast()
    }

    private func completeUntilStopped() {
        while true {
            let next = state.withCondition { held -> Group? in
                held.state.isCompleting = false
                held.broadcast()  // A writer waiting for room.
                held.wait { !$0.pending.isEmpty || $0.isStopping }
                guard !held.state.pending.isEmpty else { return nil }
                held.state.isCompleting = true
                return held.state.pending.removeFirst()
            }
            guard let next else { return }
            for call in next.calls { call.complete() }
        }
    }
}

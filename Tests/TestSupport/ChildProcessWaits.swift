import CommandLineKit
import Foundation
import Glibc
import Synchronization

/// Bounded waits for the child processes a test starts (customerd, customerctl, a shell).
///
/// `ChildProcess.waitUntilExit()` blocks its thread in waitpid(2) for as long as the child runs:
/// on the cooperative pool (two threads here) that stalls every other test, and a child that never
/// ends hangs the run. These wait on a thread of their own, and a child still running at the bound
/// is killed, which also ends that thread's wait, so the test fails naming what it waited for.
extension ChildProcess {
    /// The child's exit status (as `waitUntilExit()` reports it), waited for at most `seconds`.
    public func exitStatus(within seconds: Double = testWaitLimit, _ what: String) async throws -> Int32 {
        try await withDeadline(seconds: seconds, what) {
            await withTaskCancellationHandler {
                await onThread { self.waitUntilExit() }
            } onCancel: {
                self.terminate(SIGKILL)
            }
        }
    }

    /// Stops the child for a `defer` (which cannot await): SIGKILL unless it already ended, reaped
    /// on a thread of its own so no zombie is left and the test's thread never waits for it.
    public func killInBackground() {
        terminate(SIGKILL)
        Thread { _ = self.waitUntilExit() }.start()
    }

    /// Runs `executable` to completion like `ChildProcess.run`, on a thread of its own, for at most
    /// `seconds`: a child still running then is killed and the test fails naming the command.
    public static func run(within seconds: Double = testWaitLimit, _ executable: String, _ arguments: [String],
                           environment: [String: String]? = nil) async throws -> Output {
        let started = StartedChild()
        return try await withDeadline(seconds: seconds, "\(executable) \(arguments.joined(separator: " ")) to finish") {
            try await withTaskCancellationHandler {
                try await onThread {
                    try ChildProcess.run(executable, arguments, environment: environment, started: started.set)
                }
            } onCancel: {
                started.kill()
            }
        }
    }
}

/// The child of a `run(within:)`, for the time-out to kill: it may come before or after the spawn.
private final class StartedChild: Sendable {
    private let state = Mutex<(child: ChildProcess?, killed: Bool)>((nil, false))

    @Sendable func set(_ child: ChildProcess) {
        let killed = state.withLock { state in
            state.child = child
            return state.killed
        }
        if killed { child.terminate(SIGKILL) }
    }

    func kill() {
        let child = state.withLock { state in
            state.killed = true
            return state.child
        }
        child?.terminate(SIGKILL)
    }
}

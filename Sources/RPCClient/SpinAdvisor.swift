import RPCCore
import RPCTransport
import Synchronization

/// Whether a lone caller should spin before it sleeps (see ``ClientConnection/spinBudget``): only
/// while the answers tend to come within the spin. When several spins in a row ran out, spinning
/// only burns CPU the server could use (creates take ~300 µs of server time: with a 100 µs spin
/// always on, `customer-bench run create` spent 184 instead of 77 µs of client CPU per call and its
/// p50 rose from 319 to 411 µs), so it backs off and tries again now and then.
final class SpinAdvisor: Sendable {
    static let missesBeforeBackingOff = 4
    /// While backed off, one call in this many spins anyway, to notice that answers got quicker.
    static let probeInterval = 16

    private let misses = Atomic<Int>(0)
    private let callsBackedOff = Atomic<Int>(0)

    func shouldSpin() -> Bool {
        guard misses.load(ordering: .relaxed) >= Self.missesBeforeBackingOff else { return true }
        return callsBackedOff.wrappingAdd(1, ordering: .relaxed).newValue % Self.probeInterval == 0
    }

    /// The call told to spin found the reader thread holding the role (lingering after calls it
    /// was handed while backed off) and could not: the next call spins instead, by then the thread
    /// has let go. Without it a probe never got to spin once the reader thread lingered through a
    /// loop of calls (its linger restarts at each answer), and one slow patch (card at 1 caller:
    /// four answers in a row past the spin) left a lone caller on the reader thread's two
    /// wake-ups a call for good: card p50 104-119 -> 158-168 µs.
    func spinWasNotPossible() {
        callsBackedOff.store(-1, ordering: .relaxed)
    }

    /// Records whether the answer (or part of it) came while spinning.
    func record(answeredWhileSpinning: Bool) {
        if answeredWhileSpinning {
            misses.store(0, ordering: .relaxed)
        } else {
            misses.add(1, ordering: .relaxed)
        }
    }
}

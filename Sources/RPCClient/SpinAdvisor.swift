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

    /// Records whether the answer (or part of it) came while spinning.
    func record(answeredWhileSpinning: Bool) {
        if answeredWhileSpinning {
            misses.store(0, ordering: .relaxed)
        } else {
            misses.add(1, ordering: .relaxed)
        }
    }
}

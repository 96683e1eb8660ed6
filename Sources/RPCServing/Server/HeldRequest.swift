import Synchronization
import ThreadSync

/// The share of its OS user's input budget that a call's request (over 16 KiB, read in CALL_START)
/// keeps while its handler holds it: given back once, when the handler answers or returns,
/// whichever comes first, and before its answer is written (``giveBack()``); or when the call's
/// context goes, for a call dropped unrun.
///
/// Why: once its frame was complete, a request was charged to nobody, yet its bytes and their
/// decoded copy lived as long as the handler ran; one user's calls held at once, each with a
/// request of up to 4 MiB, took memory no budget counted (docs/HARDENING.md). Why before the
/// answer: given back when the call was let go, after its STATUS was written, the charge could
/// outlive the answer (a starved thread, a handler answering a group commit's members and itself
/// before it returns), and a client sending its next large call on its answer was refused
/// RESOURCE_EXHAUSTED by bytes the server no longer used.
final class HeldRequest: Sendable {
    private let budget: SharedBudget
    private let bytes: Int
    private let givenBack = Atomic<Bool>(false)

    /// Takes over `bytes` already taken from `budget` (the frame's reservation).
    init(bytes: Int, of budget: SharedBudget) {
        self.bytes = bytes
        self.budget = budget
    }

    /// Gives the bytes back to the budget; only the first call counts.
    func giveBack() {
        guard !givenBack.exchange(true, ordering: .acquiringAndReleasing) else { return }
        budget.giveBack(bytes)
    }

    deinit {
        giveBack()
    }
}

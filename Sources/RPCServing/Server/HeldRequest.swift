import ThreadSync

/// The share of its OS user's input budget that a call's request (over 16 KiB, read in CALL_START)
/// keeps while its handler holds it, given back when the call's last reference goes (the handler
/// returned, or the call was dropped unrun).
///
/// Why: once its frame was complete, a request was charged to nobody, yet its bytes and their
/// decoded copy lived as long as the handler ran; one user's calls held at once, each with a
/// request of up to 4 MiB, took memory no budget counted (docs/HARDENING.md).
final class HeldRequest: Sendable {
    private let budget: SharedBudget
    private let bytes: Int

    /// Takes over `bytes` already taken from `budget` (the frame's reservation).
    init(bytes: Int, of budget: SharedBudget) {
        self.bytes = bytes
        self.budget = budget
    }

    deinit {
        budget.giveBack(bytes)
    }
}

import Synchronization

/// What one connection's client-streaming calls may hold buffered together: messages received and
/// not yet taken by their handlers.
///
/// Flow control bounds each stream by its window plus one frame (a sender with any credit left may
/// send a whole frame), but with 100 calls a connection could still make the server hold 100 x
/// (256 KiB + 4 MiB). A message that would take the connection past this budget ends its own call
/// with RESOURCE_EXHAUSTED (PROTOCOL.md, "Limits"); the others go on.
final class ClientStreamBudget: Sendable {
    let limit: Int
    private let used = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Bytes buffered now (for tests and statistics).
    var bytesInUse: Int { used.load(ordering: .relaxed) }

    /// Takes `bytes` unless that would pass the limit.
    func take(_ bytes: Int) -> Bool {
        var current = used.load(ordering: .relaxed)
        while true {
            let (sum, overflow) = current.addingReportingOverflow(bytes)
            guard !overflow, sum <= limit else { return false }
            let (exchanged, original) = used.compareExchange(expected: current, desired: sum, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }

    func giveBack(_ bytes: Int) {
        used.subtract(bytes, ordering: .relaxed)
    }
}

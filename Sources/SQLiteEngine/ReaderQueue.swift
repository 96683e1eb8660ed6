/// The threads waiting for one of ``ConnectionPool``'s connections, in the order they came, and
/// the connections handed to them: who gets the next one free.
///
/// The owner (``ReadOwner``) holding fewest connections goes first; among owners holding as many,
/// one other than the owner who just gave the connection back; then the first come. So a user that
/// holds none waits only for the next connection given back, however many threads another user has
/// queued; two users on a pool of one take turns; and a user alone gets every connection in turn.
struct ReaderQueue<Grant: Sendable, Bell: Sendable>: Sendable {
    private struct Waiter: Sendable {
        let ticket: Int
        let owner: Int
        /// What wakes the waiting thread (``ConnectionPool`` rings it once the grant is made).
        let bell: Bell
        var granted: Grant?
    }

    /// In the order they came (tickets rising).
    private var waiters: [Waiter] = []
    private var nextTicket = 0
    /// Waiters not handed a connection yet.
    private var ungranted = 0

    var hasUngranted: Bool { ungranted > 0 }

    /// Queues a thread of `owner`; its ticket is what ``take(_:)`` and ``leave(_:)`` name it by.
    mutating func enqueue(owner: Int, bell: Bell) -> Int {
        defer { nextTicket += 1 }
        waiters.append(Waiter(ticket: nextTicket, owner: owner, bell: bell, granted: nil))
        ungranted += 1
        return nextTicket
    }

    /// Hands `grant` to the waiter whose owner holds fewest (`holding(owner)`, counted before this
    /// grant), among equals one not of `giver` (who had the connection last), then the first come;
    /// returns that owner and the waiter's bell to ring (none when nobody waits ungranted).
    mutating func grant(_ grant: Grant, from giver: Int, holding: (Int) -> Int) -> (owner: Int, bell: Bell?) {
        var chosen: Int?
        var fewest = Int.max
        var counted: [(owner: Int, held: Int)] = []
        for index in waiters.indices where waiters[index].granted == nil {
            let owner = waiters[index].owner
            let held: Int
            if let known = counted.first(where: { $0.owner == owner }) {
                held = known.held
            } else {
                // Doubled, plus one for the giver: it goes after owners holding as many, not after more.
                held = 2 * holding(owner) + (owner == giver ? 1 : 0)
                counted.append((owner, held))
            }
            if held < fewest {
                fewest = held
                chosen = index
            }
        }
        guard let chosen else { return (ReadOwner.unknown, nil) }
        waiters[chosen].granted = grant
        ungranted -= 1
        return (waiters[chosen].owner, waiters[chosen].bell)
    }

    /// The bells of the waiters `include` picks (an interrupted call's thread, or all at close).
    func bells(_ include: (Bell) -> Bool) -> [Bell] {
        waiters.compactMap { include($0.bell) ? $0.bell : nil }
    }

    /// The connection handed to `ticket`'s waiter, which then leaves the queue; nil while none is.
    mutating func take(_ ticket: Int) -> Grant? {
        guard let index = waiters.firstIndex(where: { $0.ticket == ticket }),
              let granted = waiters[index].granted else { return nil }
        waiters.remove(at: index)
        return granted
    }

    /// Takes a waiter that was handed nothing out of the queue (its call ended, the pool closed).
    mutating func leave(_ ticket: Int) {
        guard let index = waiters.firstIndex(where: { $0.ticket == ticket }) else { return }
        if waiters[index].granted == nil { ungranted -= 1 }
        waiters.remove(at: index)
    }
}

/// The threads waiting for one of ``ConnectionPool``'s connections, in the order they came, and
/// the connections handed to them: who gets the next one free.
///
/// The owner (``ReadOwner``) holding fewest connections goes first; among owners holding as many,
/// one other than the owner who just gave the connection back; then the first come. So a user that
/// holds none waits only for the next connection given back, however many threads another user has
/// queued; two users on a pool of one take turns; and a user alone gets every connection in turn.
/// While one owner's threads alone wait, ``ConnectionPool`` grants nothing: it ``rouse()``s the first
/// come, which claims a free connection itself.
///
/// The waiters are kept by owner, each owner's in the order they came, so a grant looks at each
/// waiting owner's first waiter only: one user queueing 16 000 reads made every check-in scan all of
/// them under the pool's lock (and look each one up by owner) when all were in one list.
struct ReaderQueue<Grant: Sendable, Bell: Sendable>: Sendable {
    private struct Waiter: Sendable {
        let owner: Int
        /// What wakes the waiting thread (``ConnectionPool`` rings it once the grant is made).
        let bell: Bell
        var granted: Grant?
    }

    /// One owner's tickets not handed a connection yet, in the order they came; `head` is the first
    /// still waiting (tickets before it were granted or left).
    private struct OwnerQueue: Sendable {
        var tickets: [Int] = []
        var head = 0
    }

    /// Every waiter by ticket, granted or not, until it takes its grant or leaves.
    private var waiters: [Int: Waiter] = [:]
    /// The owners with a waiter not handed a connection yet; an owner's queue is dropped once empty.
    private var queues: [Int: OwnerQueue] = [:]
    private var nextTicket = 0
    /// Waiters not handed a connection yet.
    private var ungranted = 0

    /// The waiter woken to claim a free connection itself while one owner waits (``rouse()``),
    /// until it looks (takes, leaves or ``looked(_:)``): one at a time, so a burst of check-ins
    /// wakes one thread, not one each.
    private var roused: Int?

    var hasUngranted: Bool { ungranted > 0 }

    /// The owner of every waiter not handed a connection yet, when they are all one owner's; nil
    /// when none waits or several owners do.
    var soleOwner: Int? { queues.count == 1 ? queues.first?.key : nil }

    /// Queues a thread of `owner`; its ticket is what ``take(_:)`` and ``leave(_:)`` name it by.
    mutating func enqueue(owner: Int, bell: Bell) -> Int {
        defer { nextTicket += 1 }
        waiters[nextTicket] = Waiter(owner: owner, bell: bell, granted: nil)
        queues[owner, default: OwnerQueue()].tickets.append(nextTicket)
        ungranted += 1
        return nextTicket
    }

    /// Hands `grant` to the waiter whose owner holds fewest (`holding(owner)`: connections busy for
    /// it, not counting the one being handed out), among equals one not of `giver` (who had the
    /// connection last), then the first come; returns that owner and the waiter's bell to ring (none
    /// when nobody waits ungranted). Asks `holding` once per waiting owner.
    mutating func grant(_ grant: Grant, from giver: Int, holding: (Int) -> Int) -> (owner: Int, bell: Bell?) {
        var chosen: (owner: Int, held: Int, ticket: Int)?
        for (owner, queue) in queues {
            // Doubled, plus one for the giver: it goes after owners holding as many, not after more.
            let held = 2 * holding(owner) + (owner == giver ? 1 : 0)
            let first = queue.tickets[queue.head]
            if let best = chosen, (best.held, best.ticket) <= (held, first) { continue }
            chosen = (owner, held, first)
        }
        guard let chosen else { return (ReadOwner.unknown, nil) }
        waiters[chosen.ticket]?.granted = grant
        queues[chosen.owner]?.head += 1
        dropLeft(of: chosen.owner)
        ungranted -= 1
        return (chosen.owner, waiters[chosen.ticket]?.bell)
    }

    /// While one owner waits, the bell of its first come to ring, so that it wakes and claims a free
    /// connection itself (nothing is handed to it: a running thread of the same owner may take the
    /// connection first, which is as fair); nil while several owners wait, none does, or the waiter
    /// roused last has not looked yet (it will, and sees whatever is free by then).
    mutating func rouse() -> Bell? {
        guard roused == nil, queues.count == 1, let queue = queues.first?.value else { return nil }
        let ticket = queue.tickets[queue.head]
        roused = ticket
        return waiters[ticket]?.bell
    }

    /// `ticket`'s waiter has looked for a connection and found none: another may be roused.
    mutating func looked(_ ticket: Int) {
        if roused == ticket { roused = nil }
    }

    /// The bells of the waiters `include` picks (an interrupted call's thread, or all at close).
    func bells(_ include: (Bell) -> Bool) -> [Bell] {
        waiters.values.compactMap { include($0.bell) ? $0.bell : nil }
    }

    /// The connection handed to `ticket`'s waiter, which then leaves the queue; nil while none is.
    mutating func take(_ ticket: Int) -> Grant? {
        guard let granted = waiters[ticket]?.granted else { return nil }
        waiters[ticket] = nil
        looked(ticket)
        return granted
    }

    /// Takes a waiter that was handed nothing out of the queue (its call ended, the pool closed, it
    /// claimed a free connection itself).
    mutating func leave(_ ticket: Int) {
        guard let waiter = waiters.removeValue(forKey: ticket) else { return }
        looked(ticket)
        guard waiter.granted == nil else { return }
        ungranted -= 1
        // Its ticket stays in its owner's queue until it reaches the head: removing it from the
        // middle would cost a scan of the owner's queue, once for each of a flood's interrupted reads.
        dropLeft(of: waiter.owner)
    }

    private func isWaiting(_ ticket: Int) -> Bool {
        guard let waiter = waiters[ticket] else { return false }
        return waiter.granted == nil
    }

    /// Moves `owner`'s head past the tickets that left, and drops the queue once none waits.
    private mutating func dropLeft(of owner: Int) {
        guard var queue = queues.removeValue(forKey: owner) else { return }
        while queue.head < queue.tickets.count, !isWaiting(queue.tickets[queue.head]) {
            queue.head += 1
        }
        guard queue.head < queue.tickets.count else { return }
        // The tickets before the head are done with; dropped once they are half the array, so an
        // owner that keeps a queue for long does not keep every ticket it ever had.
        if queue.head > 64, queue.head * 2 > queue.tickets.count {
            queue.tickets.removeFirst(queue.head)
            queue.head = 0
        }
        queues[owner] = queue
    }
}

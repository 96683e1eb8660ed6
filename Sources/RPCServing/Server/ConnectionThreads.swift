/// Who does what among the threads of one server connection (see ``ServerConnection``): at most one
/// leader reads the socket (or runs a short call in between reads, keeping the role), up to
/// ``maxIdleFollowers`` idle followers wait to take over, and no more than ``maxThreads`` threads
/// exist. A value type with no lock of its own: the connection keeps it under its `coordination`
/// lock and acts on the answers (waits, signals, starts a thread).
struct ConnectionThreads {
    /// What a thread looking for work does next.
    enum Turn: Equatable {
        /// It holds the leader role now: read the socket.
        case lead
        /// Someone leads: wait to be woken (then call ``followerWoke()``).
        case follow
        /// The connection closed, or enough followers wait already: the thread ends.
        case leave
    }

    /// How the leader role passes on when its holder stops reading to run a call.
    enum HandOff: Equatable {
        /// Wake one idle follower (it finds the role vacant).
        case wakeFollower
        /// Start a new thread (already counted; report a failure with ``threadFailedToStart()``).
        case startThread
        /// Every thread allowed is busy: the next call is read once one of them is free.
        case none
    }

    let maxThreads: Int
    let maxIdleFollowers: Int
    private(set) var hasLeader = false
    private(set) var idleFollowers = 0
    /// Threads alive, counting the first one (started by the accept loop).
    private(set) var threadCount = 1
    private(set) var isClosed = false
    /// The leader runs a unary call itself instead of reading (see ``leaderRunsInline()``).
    private(set) var leaderRunsCall = false
    /// Counts inline calls, so a thread whose call was taken over cannot mistake a later one for its own.
    private var inlineCalls: UInt64 = 0
    /// The leader waits for its client to read (`ServerConnection.shedFollowers(_:)`): a thread
    /// without a call leaves rather than wait idle, as none is needed before the client reads.
    var followersShed = false

    init(maxThreads: Int, maxIdleFollowers: Int) {
        self.maxThreads = maxThreads
        self.maxIdleFollowers = maxIdleFollowers
    }

    /// A thread without a call asks what to do; `.lead` and `.follow` take the role or a follower's place.
    mutating func nextTurn() -> Turn {
        if isClosed { return .leave }
        if hasLeader {
            // Followers beyond this many idle ones exit, so a burst does not leave threads behind.
            if idleFollowers >= maxIdleFollowers || followersShed { return .leave }
            idleFollowers += 1
            return .follow
        }
        hasLeader = true
        return .lead
    }

    /// A follower woke up (signalled or broadcast) and looks for work again.
    mutating func followerWoke() {
        idleFollowers -= 1
    }

    /// The leader stopped reading (it read a call, or the connection's input ended).
    mutating func leaderStopped() {
        hasLeader = false
    }

    /// No thread leads again; idle followers are to be woken so they leave.
    mutating func close() {
        isClosed = true
    }

    /// Passes the vacant leader role on: to an idle follower, else to a new thread while the limit allows.
    mutating func handOff() -> HandOff {
        if idleFollowers > 0 { return .wakeFollower }
        guard threadCount < maxThreads else { return .none }
        threadCount += 1
        return .startThread
    }

    /// The leader runs the call it read, keeping the role; returns the turn to hand to ``inlineCallEnded(_:)``.
    mutating func leaderRunsInline() -> UInt64 {
        leaderRunsCall = true
        inlineCalls &+= 1
        return inlineCalls
    }

    /// The turn of the inline call running now (or of the last one).
    var inlineTurn: UInt64 { inlineCalls }

    /// The inline call of `turn` ended: true when its thread still leads (nobody was promoted meanwhile).
    mutating func inlineCallEnded(_ turn: UInt64) -> Bool {
        guard leaderRunsCall, inlineCalls == turn else { return false }
        leaderRunsCall = false
        return true
    }

    /// The watchdog found the leader's inline call running long: the role passes on if the connection is open.
    mutating func promoteDuringInlineCall() -> HandOff {
        guard leaderRunsCall, !isClosed else { return .none }
        leaderRunsCall = false
        hasLeader = false
        return handOff()
    }

    /// The thread ``handOff()`` counted could not be started.
    mutating func threadFailedToStart() {
        threadCount -= 1
    }

    /// A thread ends; true for the last one, which tears the connection down.
    mutating func threadLeaves() -> Bool {
        threadCount -= 1
        return threadCount == 0
    }
}

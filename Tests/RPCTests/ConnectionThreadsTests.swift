@testable import RPCServing
import TestSupport
import Testing

/// The leader/follower rules of a server connection's threads, without threads.
@Suite struct ConnectionThreadsTests {
    @Test func theFirstThreadLeadsAndLaterOnesFollowUpToTheIdleLimit() {
        var threads = ConnectionThreads(maxThreads: 5, maxIdleFollowers: 2)
        #expect(threads.nextTurn() == .lead)
        #expect(threads.nextTurn() == .follow)
        #expect(threads.nextTurn() == .follow)
        // A third idle follower would only cost memory: it leaves.
        #expect(threads.nextTurn() == .leave)
        #expect(threads.idleFollowers == 2)
    }

    @Test func aLeaderRunningACallWakesAnIdleFollowerBeforeStartingAThread() {
        var threads = ConnectionThreads(maxThreads: 5, maxIdleFollowers: 2)
        #expect(threads.nextTurn() == .lead)
        #expect(threads.nextTurn() == .follow)
        threads.leaderStopped()
        #expect(threads.handOff() == .wakeFollower)
        threads.followerWoke()
        #expect(threads.nextTurn() == .lead)
        #expect(threads.threadCount == 1)
    }

    @Test func newThreadsStopAtTheLimitAndAFailedStartGivesItsPlaceBack() {
        var threads = ConnectionThreads(maxThreads: 2, maxIdleFollowers: 2)
        #expect(threads.nextTurn() == .lead)
        threads.leaderStopped()
        #expect(threads.handOff() == .startThread)
        #expect(threads.threadCount == 2)
        #expect(threads.handOff() == .none)
        threads.threadFailedToStart()
        #expect(threads.handOff() == .startThread)
    }

    @Test func theWatchdogPromotesOnlyWhileTheLeaderRunsACallAndTheConnectionIsOpen() {
        var threads = ConnectionThreads(maxThreads: 3, maxIdleFollowers: 2)
        #expect(threads.nextTurn() == .lead)
        // A leader that reads is never replaced.
        #expect(threads.promoteDuringInlineCall() == .none)
        let turn = threads.leaderRunsInline()
        #expect(threads.promoteDuringInlineCall() == .startThread)
        #expect(threads.nextTurn() == .lead)
        // The promoted thread's own inline call is not the first one's: that thread no longer leads.
        _ = threads.leaderRunsInline()
        #expect(threads.inlineCallEnded(turn) == false)
        threads.close()
        #expect(threads.promoteDuringInlineCall() == .none)
    }

    @Test func aLeaderWhoseInlineCallEndsUnwatchedKeepsTheRole() {
        var threads = ConnectionThreads(maxThreads: 3, maxIdleFollowers: 2)
        #expect(threads.nextTurn() == .lead)
        let turn = threads.leaderRunsInline()
        // Meanwhile a thread done with a streaming call looks for work: someone leads, so it follows.
        #expect(threads.nextTurn() == .follow)
        let stillLeads = threads.inlineCallEnded(turn)
        #expect(stillLeads)
        #expect(threads.hasLeader)
    }

    @Test func afterCloseEveryThreadLeavesAndTheLastOneIsTold() {
        var threads = ConnectionThreads(maxThreads: 3, maxIdleFollowers: 2)
        #expect(threads.nextTurn() == .lead)
        threads.leaderStopped()
        #expect(threads.handOff() == .startThread)
        threads.close()
        #expect(threads.nextTurn() == .leave)
        #expect(threads.nextTurn() == .leave)
        #expect(threads.threadLeaves() == false)
        #expect(threads.threadLeaves() == true)
    }
}

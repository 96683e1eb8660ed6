import Glibc

/// Asks about the input of many descriptors in one poll(2) that does not wait: what
/// ``ByteStream/hasInput()`` asks of one, for a thread that watches many (`LeadershipWatchdog`).
///
/// Why: at 64 callers creating customers every connection's handler waits for its group commit
/// past the watchdog's promotion time, and a `hasInput()` each made a poll per connection per
/// recheck (~12 poll per create on main, 1.2 with this; `perf stat`, docs/performance/HISTORY.md
/// "create13"): one poll over all of them costs one system call per recheck whatever their number.
///
/// Reused from one ask to the next (`removeAll` keeps its storage), so a recheck allocates nothing.
package struct InputPoll {
    private var descriptors: [pollfd] = []

    package init() {}

    package var isEmpty: Bool { descriptors.isEmpty }

    /// Adds `fd`; its answer is ``hasInput(at:)`` with the index this returns.
    package mutating func append(_ fd: Int32) -> Int {
        descriptors.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
        return descriptors.count - 1
    }

    /// Polls every descriptor added since the last ``removeAll()``, without waiting. A poll(2)
    /// error counts as input on every one, as ``ByteStream/hasInput()`` counts it: the reads that
    /// follow report it.
    package mutating func ask() {
        guard !descriptors.isEmpty else { return }
        let count = nfds_t(descriptors.count)
        let ready = descriptors.withUnsafeMutableBufferPointer { poll($0.baseAddress, count, 0) }
        if ready < 0 {
            for index in descriptors.indices { descriptors[index].revents = Int16(POLLERR) }
        }
    }

    /// Whether the descriptor at `index` had input (bytes, the end of the stream, or an error:
    /// any event at all) at the last ``ask()``.
    package func hasInput(at index: Int) -> Bool { descriptors[index].revents != 0 }

    package mutating func removeAll() { descriptors.removeAll(keepingCapacity: true) }
}

/// A connection's calls in flight by stream id, as a dictionary's subset of operations.
///
/// Why not `[UInt32: ServerContext]`: every unary call is inserted and removed once, and each of
/// those hashed its key with SipHash (~400 instructions a get, callgrind, docs/performance/HISTORY.md
/// "get17"). A connection holds at most ``ServerConfiguration/maxConcurrentCallsPerConnection``
/// calls (100 by default) and usually one or a few, so a scan of a contiguous array of ids is
/// cheaper; removal moves the last entry into the gap, so order is not kept (nothing here needs it).
/// Generic over the call only so that tests can fill it without a connection.
struct ActiveCalls<Call> {
    private var ids: [UInt32] = []
    private var contexts: [Call] = []

    var isEmpty: Bool { ids.isEmpty }
    var count: Int { ids.count }

    /// The calls, in no particular order.
    var values: [Call] { contexts }

    /// The call of `streamID`; assigning nil forgets it, a context adds or replaces it.
    subscript(streamID: UInt32) -> Call? {
        get { index(of: streamID).map { contexts[$0] } }
        set {
            if let newValue {
                if let index = index(of: streamID) {
                    contexts[index] = newValue
                } else {
                    ids.append(streamID)
                    contexts.append(newValue)
                }
            } else {
                removeValue(forKey: streamID)
            }
        }
    }

    /// Forgets the call of `streamID` and returns it; nil when there is none.
    @discardableResult
    mutating func removeValue(forKey streamID: UInt32) -> Call? {
        guard let index = index(of: streamID) else { return nil }
        let last = ids.count - 1
        let removed = contexts[index]
        if index != last {
            ids[index] = ids[last]
            contexts.swapAt(index, last)
        }
        ids.removeLast()
        contexts.removeLast()
        return removed
    }

    /// Forgets every call.
    mutating func removeAll() {
        ids.removeAll()
        contexts.removeAll()
    }

    /// Searched from the newest: a unary call's STATUS usually ends the call started last.
    private func index(of streamID: UInt32) -> Int? {
        ids.lastIndex(of: streamID)
    }
}

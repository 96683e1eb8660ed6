import ThreadSync

/// A fixed-size pool of connections, created lazily, each checked out by one thread at a time.
public final class ConnectionPool: Sendable {
    private struct State {
        var idle: [SQLiteConnection] = []
        var created = 0
        var isClosed = false
    }

    private enum Checkout {
        case closed, idle(SQLiteConnection), open
    }

    private let state = ConditionalState(State())
    private let capacity: Int
    private let makeConnection: @Sendable () throws -> SQLiteConnection

    /// - Parameter capacity: the most connections that ever exist at once.
    public init(capacity: Int, makeConnection: @escaping @Sendable () throws -> SQLiteConnection) {
        self.capacity = capacity
        self.makeConnection = makeConnection
    }

    /// Runs `body` with a connection of its own, waiting while all are in use.
    public func withConnection<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        let connection = try checkOut()
        defer { checkIn(connection) }
        return try body(connection)
    }

    private func checkOut() throws -> SQLiteConnection {
        let checkout = state.withCondition { held -> Checkout in
            while true {
                if held.state.isClosed { return .closed }
                if let connection = held.state.idle.popLast() { return .idle(connection) }
                if held.state.created < capacity {
                    held.state.created += 1
                    return .open
                }
                held.wait()
            }
        }
        switch checkout {
        case .closed:
            throw ConnectionClosedError()
        case .idle(let connection):
            return connection
        case .open:
            // Opening does file I/O, so it runs outside the lock; the slot is reserved above.
            do {
                return try makeConnection()
            } catch {
                state.withLock { $0.created -= 1 }
                state.signal()
                throw error
            }
        }
    }

    private func checkIn(_ connection: SQLiteConnection) {
        let isClosed = state.withLock { state in
            if !state.isClosed { state.idle.append(connection) }
            return state.isClosed
        }
        if isClosed {
            connection.close()
        } else {
            state.signal()
        }
    }

    /// Closes the idle connections now and the busy ones when they come back; later checkouts fail.
    public func close() {
        let toClose = state.withLock { state in
            state.isClosed = true
            defer { state.idle.removeAll() }
            return state.idle
        }
        state.broadcast()
        for connection in toClose { connection.close() }
    }
}

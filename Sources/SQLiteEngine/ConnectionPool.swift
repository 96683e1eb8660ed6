import Foundation

/// A fixed-size pool of connections, created lazily, each checked out by one thread at a time.
///
/// Safety of `@unchecked Sendable`: all mutable state (`idle`, `created`, `isClosed`) is read and
/// written only while `condition` is locked.
public final class ConnectionPool: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private let makeConnection: @Sendable () throws -> SQLiteConnection
    private var idle: [SQLiteConnection] = []
    private var created = 0
    private var isClosed = false

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
        condition.lock()
        while true {
            if isClosed {
                condition.unlock()
                throw ConnectionClosedError()
            }
            if let connection = idle.popLast() {
                condition.unlock()
                return connection
            }
            if created < capacity {
                created += 1
                condition.unlock()
                // Opening does file I/O, so it runs outside the lock; the slot is reserved above.
                do {
                    return try makeConnection()
                } catch {
                    condition.lock()
                    created -= 1
                    condition.signal()
                    condition.unlock()
                    throw error
                }
            }
            condition.wait()
        }
    }

    private func checkIn(_ connection: SQLiteConnection) {
        condition.lock()
        if isClosed {
            condition.unlock()
            connection.close()
            return
        }
        idle.append(connection)
        condition.signal()
        condition.unlock()
    }

    /// Closes the idle connections now and the busy ones when they come back; later checkouts fail.
    public func close() {
        condition.lock()
        isClosed = true
        let toClose = idle
        idle.removeAll()
        condition.broadcast()
        condition.unlock()
        for connection in toClose { connection.close() }
    }
}

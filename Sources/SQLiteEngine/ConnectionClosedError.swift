/// A connection, pool or writer was used after `close()`: no further calls are served.
public struct ConnectionClosedError: Error, Sendable, Hashable, CustomStringConvertible {
    public init() {}

    public var description: String { "the database connection is closed" }
}

import SQLiteEngine

extension SQLiteConnection {
    /// Opens a connection as the store opens its own, with `options`' busy timeout.
    convenience init(path: String, role: Role, options: StoreOptions) throws {
        try self.init(path: path, role: role, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
    }
}

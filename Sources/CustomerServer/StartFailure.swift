import CustomerStore

/// What kind of start-up failure an error is, for the ones an operator handles differently
/// (customerd gives each its own exit code).
public enum StartFailure: Sendable, Hashable {
    /// Another process owns the database.
    case databaseInUse
    /// The database was refused: damaged, read-only, not SQLite, from a newer version, or unsafe.
    case databaseRefused
    /// Anything else: the socket, a directory, a system call.
    case other

    public init(_ error: any Error) {
        switch error {
        case let refusal as StoreOpeningError:
            if case .inUse = refusal.reason {
                self = .databaseInUse
            } else {
                self = .databaseRefused
            }
        case StoreError.notADatabase, StoreError.schemaTooNew:
            self = .databaseRefused
        default:
            self = .other
        }
    }
}

import CustomerStore
import Dispatch
import Foundation
import ServiceLog

/// Looks every second whether the database file and its WAL are still at their paths (and no read
/// found one cut short: `DatabaseFileWatch`), and tells the operator once they are not: one
/// `critical` log line naming the file and what to do, and the health service answering
/// NOT_SERVING from then on. It also looks whether the database's directory, a directory above it
/// or its files became another user's or writable by others (``CustomerStore/placeProblem()``), and
/// logs that as `critical` once per change (and a `notice` once mended), serving on, as the accept
/// loop does for the socket's directory (caps21; before, the database's place was checked at start only).
///
/// Why: the writes refuse themselves once the files are gone (`CustomerStore`'s file watch), but
/// nothing told the operator before a write came (redteam17's known gap: no log line, health still
/// SERVING), and a server that only reads would have gone on looking healthy until it stopped and
/// its next start made an empty database. A stat(2) of two paths a second costs nothing; the
/// thread sleeps in between and ends once it reported, or at ``stop()``.
final class DatabaseFilesMonitor: Sendable {
    static let interval = DispatchTimeInterval.seconds(1)

    private let stopSignal = DispatchSemaphore(value: 0)

    /// Starts looking; `whenLost` runs once, on the monitor's thread, after the log line.
    init(store: CustomerStore, logger: Logger, whenLost: @escaping @Sendable () -> Void) {
        let thread = Thread { [stopSignal] in
            var reported: String?
            while stopSignal.wait(timeout: .now() + Self.interval) == .timedOut {
                reported = Self.reportPlace(of: store, logger: logger, reported: reported)
                do {
                    try store.requireDatabaseFilesInPlace()
                } catch {
                    logger.critical("database files gone or damaged, refusing every write and reporting NOT_SERVING: \(error)",
                                    [("database", store.path)])
                    whenLost()
                    return
                }
            }
        }
        thread.name = "database-files-monitor"
        thread.start()
    }

    /// Logs what is wrong with the database's place when it is not what was last reported.
    /// - Returns: what is wrong now.
    private static func reportPlace(of store: CustomerStore, logger: Logger, reported: String?) -> String? {
        let problem = store.placeProblem()
        guard problem != reported else { return problem }
        if let problem {
            logger.critical("the database's files could now be read or swapped by another user: \(problem)", [("database", store.path)])
        } else {
            logger.notice("the database's directory and files are the server's user's alone again", [("database", store.path)])
        }
        return problem
    }

    /// Stops looking (before the store closes: SQLite removes the WAL with its last connection).
    func stop() {
        stopSignal.signal()
    }
}

import Foundation
import ServiceLog

/// Rows done, rows per second and the time left, redrawn on one line of stderr while a long command
/// runs; silent when stderr is not a terminal (a pipe, a file, a test), so logs get no carriage returns.
final class ProgressBar {
    private let total: Int
    private let isShown: Bool
    private let start = ContinuousClock.now
    private var lastDrawn: ContinuousClock.Instant?

    init(total: Int, isShown: Bool = isatty(STDERR_FILENO) == 1) {
        self.total = total
        self.isShown = isShown
    }

    /// Redraws at most ten times a second.
    func update(done: Int) {
        guard isShown else { return }
        let now = ContinuousClock.now
        if let lastDrawn, now - lastDrawn < .milliseconds(100), done < total { return }
        lastDrawn = now
        LogSink.writeToStandardError("\r" + Self.line(done: done, total: total, elapsed: now - start))
    }

    /// Ends the bar's line so the next output starts on a fresh one.
    func finish() {
        guard isShown, lastDrawn != nil else { return }
        LogSink.writeToStandardError("\n")
    }

    /// "[#######.............]  35000/100000 rows  17500 rows/s  ETA 4s".
    static func line(done: Int, total: Int, elapsed: Duration) -> String {
        let width = 20
        let filled = total > 0 ? min(width, done * width / total) : width
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let eta = rate > 0 ? "ETA \(Int((Double(total - done) / rate).rounded(.up)))s" : "ETA -"
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]  "
            + "\(done)/\(total) rows  \(Int(rate)) rows/s  \(eta)"
    }
}

import Foundation
import ServiceLog

/// Rows done, rows per second and the time left, redrawn on one line of stderr while a long command
/// runs; silent when stderr is not a terminal (a pipe, a file, a test), so logs get no carriage returns.
final class ProgressBar {
    /// The file's size; nil for a pipe, whose end is not known until it comes.
    private let totalBytes: Int64?
    private let isShown: Bool
    private let start = ContinuousClock.now
    private var lastDrawn: ContinuousClock.Instant?

    init(totalBytes: Int64?, isShown: Bool = isatty(STDERR_FILENO) == 1) {
        self.totalBytes = totalBytes
        self.isShown = isShown
    }

    /// Redraws at most ten times a second: `rows` read, the first `bytes` of the file read.
    func update(rows: Int, bytes: Int64?) {
        guard isShown else { return }
        let now = ContinuousClock.now
        if let lastDrawn, now - lastDrawn < .milliseconds(100) { return }
        lastDrawn = now
        let fraction = totalBytes.flatMap { total in bytes.map { total > 0 ? min(1, Double($0) / Double(total)) : 1 } }
        LogSink.writeToStandardError("\r" + Self.line(rows: rows, fraction: fraction, elapsed: now - start))
    }

    /// Ends the bar's line so the next output starts on a fresh one.
    func finish() {
        guard isShown, lastDrawn != nil else { return }
        LogSink.writeToStandardError("\n")
    }

    /// "[#######.............]  35000 rows  17500 rows/s  ETA 4s" for a file `fraction` read;
    /// "35000 rows  17500 rows/s" for a pipe (no fraction).
    static func line(rows: Int, fraction: Double?, elapsed: Duration) -> String {
        let width = 20
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(rows) / seconds : 0
        let counts = "\(rows) rows  \(Int(rate)) rows/s"
        guard let fraction else { return counts }
        let filled = Int(fraction * Double(width))
        // Clamped: a file barely begun would make the estimate too large for an Int.
        let eta = fraction > 0 ? "ETA \(Int(min(1e9, (seconds * (1 - fraction) / fraction).rounded(.up))))s" : "ETA -"
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]  "
            + counts + "  " + eta
    }
}

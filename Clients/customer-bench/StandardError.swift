import ServiceLog

/// Error output of the tool (Glibc's `stderr` is a C global Swift 6 strict concurrency rejects).
enum StandardError {
    static func write(_ text: String) {
        LogSink.writeToStandardError(text)
    }
}

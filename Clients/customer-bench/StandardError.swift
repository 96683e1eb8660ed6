import ServiceLog

/// Error output of the tool (Glibc's `stderr` is a C global Swift 6 strict concurrency rejects).
enum StandardError {
    static func write(_ text: String) {
        LogSink.writeToStandardError(text)
    }

    /// `Error: …` and a line feed, the error's text with its terminal controls escaped as customerctl
    /// writes a server's text: a failed call's message is the server's (or whatever answers at
    /// `--socket`), so a hostile one could otherwise clear the operator's screen or forge lines
    /// (redteam32: `fake_server.py … status-control-chars` reached the terminal raw).
    static func error(_ error: any Error, _ context: String = "") {
        write("Error: \(context)\(TerminalText.escaped("\(error)"))\n")
    }
}

import CommandLineKit
import CustomerClient

/// The deadline of every call customer-bench makes to a server (`--timeout`), for `run` and
/// `ping` alike: a server that goes silent ends the command with one DEADLINE_EXCEEDED line and
/// exit 1 within it instead of holding it until that server closes (redteam32b for `run`,
/// redteam33 for `ping`). Sent to the server as customerctl's and the library's callers send
/// theirs; 0 sends none, as runs before the option did (the server then schedules no deadline).
enum CallDeadline {
    static let defaultSeconds = 30.0

    static let option = Option.value(
        "timeout", "<seconds>", help: "Deadline of each call, setup and measured, sent to the server (default: 30; 0: none).")

    /// `--timeout` as given, or the default.
    static func seconds(_ parsed: ParsedArguments) throws(UsageError) -> Double {
        try parsed.seconds(option, allowZero: true) ?? defaultSeconds
    }

    /// Each call's options for a deadline of `seconds` (0: none). The Duration is made from the
    /// seconds as given (at most an hour, checked when parsed): through whole milliseconds, a
    /// `--timeout` under 1 ms became a deadline of 0, which every call failed (deadline33).
    static func callOptions(seconds: Double) -> CallOptions {
        CallOptions(timeout: seconds > 0 ? .seconds(seconds) : nil)
    }
}

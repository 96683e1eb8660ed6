import CommandLineKit

/// How long `run`, `import` and `watch` wait for the `customerd` they start to answer its first
/// health check (`--start-timeout`). 30 s is ample natively; under valgrind on a loaded machine
/// (load over ~20) a server's start-up takes longer than that, and a measurement run failed before
/// it began (create34).
enum ServerStartWait {
    static let defaultSeconds = 30.0

    static let option = Option.value(
        "start-timeout", "<seconds>",
        help: "How long to wait for the customerd it starts to answer (default: 30; at most 3600).")

    /// `--start-timeout` as given (positive, at most an hour), or the default.
    static func seconds(_ parsed: ParsedArguments) throws(UsageError) -> Double {
        try parsed.seconds(option, allowZero: false) ?? defaultSeconds
    }
}

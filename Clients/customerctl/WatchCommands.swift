import CommandLineKit
import CustomerClient
import Dispatch
import Foundation
import ServiceLog
import Synchronization

/// `customerctl watch`: the change feed as JSON Lines, resumable from the cursor it prints on Ctrl-C.
enum WatchCommands {
    static let after = Option.value("after", "N", help: """
        Start after sequence number N: the last one your copy has (0: everything
        the server keeps). Default: only changes committed from now on.
        """)
    static let kinds = Option.repeatable("kinds", "KIND[,KIND...]", help: """
        Only these kinds of record (repeat it or separate the kinds with commas):
        \(kindNames.keys.sorted().joined(separator: ", ")).
        Default: every kind.
        """)

    static let kindNames: [String: HistoryEntry.Entity] = Dictionary(
        uniqueKeysWithValues: HistoryEntry.Entity.allCases.map { ("\($0)", $0) })

    static let all: [CommandSpec] = [
        CommandSpec(
            ["watch"], summary: "Print every committed change as it happens (the change feed), as JSON Lines.",
            options: [after, kinds],
            notes: """
                Each line is one event: sequence, kind, action, entityId, customerId, at, by, changes
                (field, oldValue, newValue), tombstone (the record is gone). It runs until stopped
                (or until --timeout, if given, passes);
                on Ctrl-C it prints to stderr the cursor to resume from with --after, and exits
                with 130. A cursor the server no longer keeps fails with OUT_OF_RANGE (exit
                status as for any failed call): take a fresh copy, then watch from its position.
                Only the customers you may read are shown, money only with Financial figures.
                """,
            examples: ["customerctl watch --after 0 > changes.jsonl", "customerctl watch --after 1200 --kinds customer,contact"]
        ) { invocation in
            let selected = try kinds(invocation.values(kinds))
            let start = try await startCursor(invocation)
            let interrupt = ResumeOnInterrupt(cursor: start)
            defer { interrupt.cancel() }
            let output = Output(format: .json)
            for try await event in invocation.client.changes.watch(after: start, kinds: selected, options: invocation.untilStoppedCallOptions) {
                try interrupt.deliver(event.sequence) { try output.jsonLine(event) }
            }
        },
    ]

    /// The kinds the options name (comma lists allowed); empty for every kind.
    static func kinds(_ values: [String]) throws -> [HistoryEntry.Entity] {
        try values.flatMap { $0.split(separator: ",") }.map { name in
            let name = name.trimmingCharacters(in: .whitespaces)
            guard let kind = kindNames[name] else {
                throw UsageError("unknown kind '\(name)' for --kinds",
                                 suggestion: Suggestion.closest(to: name, among: kindNames.keys.sorted()))
            }
            return kind
        }
    }

    /// `--after`, or the newest sequence number now, so a Ctrl-C before the first event still
    /// prints a cursor.
    private static func startCursor(_ invocation: Invocation) async throws -> Int64 {
        if let after = try invocation.integer(after, as: Int64.self) {
            guard after >= 0 else { throw UsageError("--after needs a sequence number (0 or more), got \(after)") }
            return after
        }
        return try await invocation.client.changes.bounds(options: invocation.callOptions).last
    }
}

/// On SIGINT: prints the cursor to resume from to stderr and exits 130 (128 + SIGINT).
///
/// Safety of `@unchecked Sendable`: `source` is set once in `init` and afterwards only cancelled
/// (a dispatch source's `cancel` is thread-safe); `cursor` is a `Mutex`.
private final class ResumeOnInterrupt: @unchecked Sendable {
    private let cursor: Mutex<Int64>
    private let source: any DispatchSourceSignal

    init(cursor start: Int64) {
        cursor = Mutex(start)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        // The default action would end the process before the cursor is printed; a dispatch
        // signal source observes the signal whatever its disposition, so it is ignored here and
        // the source's handler is the one thing that acts on it.
        signal(SIGINT, SIG_IGN)
        // Held by the source until `cancel` (dispatch drops the handler then).
        source.setEventHandler { [self] in
            cursor.withLock { last in
                LogSink.writeToStandardError("\nresume with: customerctl watch --after \(last)\n")
                exit(130)
            }
        }
        source.resume()
    }

    /// Prints an event and notes its sequence number under the lock the Ctrl-C handler takes, so
    /// the cursor it prints is exactly the last event on stdout: nothing skipped, nothing repeated.
    func deliver(_ sequence: Int64, print: () throws -> Void) throws {
        try cursor.withLock { last in
            try print()
            last = sequence
        }
    }

    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

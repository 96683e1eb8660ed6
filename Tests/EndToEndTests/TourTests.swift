import CommandLineKit
import CustomerClient
import Foundation
import RPCCore
import TestSupport
import Testing

/// docs/TOUR.md's and README.md's tours run as a new administrator reads them: every `$ ` line of
/// their indented code blocks, in order, in bash, in one working directory, against a customerd
/// started for the tour on a fresh database, with customerctl on `PATH` and `CUSTOMER_SOCKET` naming
/// its socket (the one thing substituted; customerctl is given a longer `--timeout` too, for a
/// loaded machine). The ids the tours use are those a fresh database gives
/// in the tours' order, so nothing else is rewritten: a tour whose steps no longer fit together fails.
///
/// The lines under a command, up to the next `$ `, are what it prints (a `  # ` comment taken off):
/// a line ending in `...` starts some line of its output, any other is one whole. A line
/// `Error: STATUS: ...` among them is a refusal: the command must exit 10 + STATUS's code, as the tour's exit
/// code table says; without one it must exit 0. A command a test cannot run (a terminal's Ctrl-C,
/// another OS user, a registry on the network) is named after its block:
/// `<!-- tour test: skip "PREFIX" (REASON) -->` skips every line starting with PREFIX.
@Suite struct TourTests {
    @Test func theTourRunsAsWritten() async throws {
        try await run("docs/TOUR.md", atLeast: 60)
    }

    @Test func theReadmesShortTourRunsAsWritten() async throws {
        try await run("README.md", atLeast: 15)
    }

    @Test func theReaderTakesCommandsTheirOutputAndSkips() throws {
        let tour = try Tour("""
            Text with `$ customerctl not-a-command` in it.

                swift run -c release customerd

                $ customerctl health
                $ customerctl customers delete 2          # refused
                line 2: a whole line
                Error: FAILED_PRECONDITION: --confirm: ...  # why
                $ customerctl watch --after 0

            <!-- tour test: skip "customerctl watch" (a terminal's) -->
            """)
        #expect(tour.steps.map(\.command) == ["customerctl health", "customerctl customers delete 2          # refused"])
        #expect(tour.steps.map(\.line) == [5, 6])
        #expect(tour.steps[1].output == ["line 2: a whole line", "Error: FAILED_PRECONDITION: --confirm: ..."])
        #expect(tour.steps[0].exitStatus == 0)
        #expect(tour.steps[1].exitStatus == 19)
        #expect(tour.skipped == ["customerctl watch --after 0": "a terminal's"])
        #expect(Tour.Step(command: "x", line: 1, output: ["Error: NO_SUCH_STATUS: x"]).exitStatus == nil)

        let step = tour.steps[1]
        #expect(step.missingOutput(in: "Error: FAILED_PRECONDITION: --confirm: deleting it\nline 2: a whole line\n").isEmpty)
        #expect(step.missingOutput(in: "Error: FAILED_PRECONDITION: --confirm\nline 2: a whole line, longer\n")
                == ["line 2: a whole line", "Error: FAILED_PRECONDITION: --confirm: ..."])
        #expect(throws: Tour.Problem.self) { try Tour("    $ customerctl x\n<!-- tour test: skip \"customerctl y\" (gone) -->\n") }
        #expect(throws: Tour.Problem.self) { try Tour("    $ customerctl x\n<!-- tour test: skip \"customerctl x\" () -->\n") }
    }

    /// Runs `document`'s tour (at least `atLeast` commands, so a reader that finds none fails).
    private func run(_ document: String, atLeast: Int) async throws {
        let text = try String(contentsOf: APIDocumentationTests.packageRoot.appendingPathComponent(document), encoding: .utf8)
        let tour = try Tour(text)
        #expect(tour.steps.count >= atLeast, "\(document): only \(tour.steps.count) commands found")
        let files = try DaemonFiles()
        defer { files.remove() }
        let daemon = try startDaemon(socket: files.socket, database: files.database)
        let client = CustomerClient(socketPath: files.socket)
        defer { client.close() }
        do {
            try await waitUntilServing(client)
            let bin = try Self.customerctlWithTimeout(in: files.directory)
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = bin + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            environment["CUSTOMER_SOCKET"] = files.socket
            for step in tour.steps {
                let result = try await runExecutable("/bin/bash", ["-c", "cd '\(files.directory.path)' && \(step.command)"],
                                                     environment: environment)
                let place = "\(document):\(step.line): \(step.command)"
                let expected = try #require(step.exitStatus, "\(place): its Error line names no status")
                #expect(result.status == expected, "\(place): exit \(result.status), \(result.stderr)")
                let missing = step.missingOutput(in: result.stdout + "\n" + result.stderr)
                #expect(missing.isEmpty, "\(place): not printed: \(missing); printed: \(result.stdout)\(result.stderr)")
            }
        } catch {
            await stopDaemon(daemon)
            throw error
        }
        await stopDaemon(daemon)
    }

    /// A directory holding `customerctl` that runs the built one with a `--timeout` a little below
    /// this test's wait for it, as `runProduct` gives one: beside busy cores a call (an import's)
    /// can take longer than the default 30 s. The commands keep the tour's words.
    private static func customerctlWithTimeout(in directory: URL) throws -> String {
        let bin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: false)
        let script = bin.appendingPathComponent("customerctl")
        let timeout = max(1, Int(testWaitLimit * 0.8))
        try "#!/bin/sh\nexec '\(try Products.url(of: "customerctl").path)' --timeout \(timeout) \"$@\"\n"
            .write(to: script, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)
        return bin.path
    }
}

/// The commands of a document's tour, with what each prints, in order (``TourTests`` says how they are marked).
struct Tour {
    struct Step: Equatable {
        let command: String
        /// The document's line, counted from 1, for the failure's message.
        let line: Int
        var output: [String]

        /// 0, or 10 + the status of the output's line `Error: STATUS: ...`; nil for a status nobody knows.
        var exitStatus: Int32? {
            guard let error = output.first(where: { $0.hasPrefix("Error: ") }) else { return 0 }
            let name = error.dropFirst("Error: ".count).prefix { $0 != ":" }
            return StatusCode.allCases.first { $0.description == name }.map { 10 + Int32($0.rawValue) }
        }

        /// The output lines the tour shows that `printed` lacks.
        func missingOutput(in printed: String) -> [String] {
            let lines = printed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            return output.filter { expected in
                if expected.hasSuffix("...") {
                    let start = String(expected.dropLast(3))
                    return !lines.contains { $0.hasPrefix(start) }
                }
                return !lines.contains(expected)
            }
        }
    }

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    private(set) var steps: [Step] = []
    /// Each skipped command and the document's reason.
    private(set) var skipped: [String: String] = [:]

    init(_ text: String) throws {
        var all: [Step] = []
        var skips: [(prefix: String, reason: String)] = []
        var inStep = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("    $ ") {
                all.append(Step(command: String(line.dropFirst(6)), line: index + 1, output: []))
                inStep = true
            } else if inStep, line.hasPrefix("    "), !line.allSatisfy({ $0 == " " }) {
                all[all.count - 1].output.append(Self.withoutComment(line.dropFirst(4)))
            } else {
                inStep = false
                if let skip = try Self.skip(in: line) { skips.append(skip) }
            }
        }
        for skip in skips where !all.contains(where: { $0.command.hasPrefix(skip.prefix) }) {
            throw Problem(description: "a skip names no command of the tour: \(skip.prefix)")
        }
        for step in all {
            if let skip = skips.first(where: { step.command.hasPrefix($0.prefix) }) {
                skipped[step.command] = skip.reason
            } else {
                steps.append(step)
            }
        }
    }

    /// `<!-- tour test: skip "PREFIX" (REASON) -->`, or nil for any other line; a skip without a reason is a problem.
    private static func skip(in line: Substring) throws -> (prefix: String, reason: String)? {
        let opening = "<!-- tour test: skip \""
        guard line.hasPrefix(opening), line.hasSuffix(") -->"),
              let quote = line.dropFirst(opening.count).firstIndex(of: "\"") else { return nil }
        let prefix = String(line[line.index(line.startIndex, offsetBy: opening.count)..<quote])
        let rest = line[line.index(after: quote)...].dropLast(") -->".count)
        guard rest.hasPrefix(" ("), rest.count > 2 else {
            throw Problem(description: "a skip without its reason: \(line)")
        }
        return (prefix, String(rest.dropFirst(2)))
    }

    /// An output line as shown, without the tour's `  # ` comment.
    private static func withoutComment(_ line: Substring) -> String {
        guard let comment = line.range(of: "  # ") else { return String(line) }
        return String(line[..<comment.lowerBound]).trimmingCharacters(in: .whitespaces)
    }
}

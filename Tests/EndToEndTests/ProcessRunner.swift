import CommandLineKit
import Foundation
import TestSupport

/// The built executables (customerctl, customerd) beside the test bundle.
enum Products {
    static func url(of name: String) throws -> URL {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent())
        }
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0], relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        candidates.append(argv0.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for directory in candidates {
            let url = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) {
                return url
            }
        }
        throw ProductNotFound(name: name, searched: candidates.map(\.path))
    }

    struct ProductNotFound: Error, CustomStringConvertible {
        let name: String
        let searched: [String]
        var description: String { "\(name) not found in \(searched)" }
    }
}

struct ProcessResult: Sendable {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs a built executable to completion and captures what it printed.
///
/// The child is read and awaited on a thread of its own, never on the cooperative pool's, and for
/// at most `seconds` (`testWaitLimit` unless a test says otherwise;
/// ``ChildProcess/run(within:_:_:environment:)``): a pool thread blocked
/// in `read(2)` or `waitpid(2)` is lost to every task in this process while the child runs, and
/// the pool has only as many threads as cores (two on CI), so with several children running at
/// once the rest of the suite would stall; a child that never ends is killed and fails its test.
/// `ChildProcess`, not Foundation's `Process`: see why in its documentation.
///
/// customerctl gives up on a call after 30 s unless told otherwise (DEADLINE_EXCEEDED, exit 14):
/// beside busy cores a call can take longer (an import's, in a whole run at a load of 80), so a
/// command given a server's socket first and no `--timeout` of its own gets one a little below `seconds`.
func runProduct(_ name: String, _ arguments: [String], environment: [String: String]? = nil,
                within seconds: Double = testWaitLimit) async throws -> ProcessResult {
    var arguments = arguments
    if name == "customerctl", arguments.first == "--socket", arguments.count >= 2, !arguments.contains("--timeout") {
        arguments.insert(contentsOf: ["--timeout", String(max(1, Int(seconds * 0.8)))], at: 2)
    }
    return try await runExecutable(try Products.url(of: name).path, arguments, environment: environment, within: seconds)
}

/// Runs any executable (a path) to completion the same way.
func runExecutable(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                   within seconds: Double = testWaitLimit) async throws -> ProcessResult {
    let output = try await ChildProcess.run(within: seconds, executable, arguments, environment: environment)
    return ProcessResult(status: output.status, stdout: String(decoding: output.standardOutput, as: UTF8.self),
                         stderr: String(decoding: output.standardError, as: UTF8.self))
}

import Foundation
import Synchronization

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
/// The child is read and awaited on threads of its own, never on the cooperative pool's: a pool
/// thread blocked in `read(2)` or `waitpid(2)` is lost to every task in this process while the
/// child runs, and the pool has only as many threads as cores (two on CI). Every async test in the
/// bundle resumes on those threads, so with several children running at once the rest of the
/// suite would stall (tests that wait for a call with a bound then fail under load).
func runProduct(_ name: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> ProcessResult {
    let process = Process()
    process.executableURL = try Products.url(of: name)
    process.arguments = arguments
    if let environment {
        process.environment = environment
    }
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    return await withCheckedContinuation { continuation in
        Thread {
            // Both pipes are read to the end before waiting, each on its own thread, so a large
            // output on either cannot block the child.
            let errorsRead = DispatchSemaphore(value: 0)
            let errors = Mutex(Data())
            Thread {
                let data = stderr.fileHandleForReading.readDataToEndOfFile()
                errors.withLock { $0 = data }
                errorsRead.signal()
            }.start()
            let outData = stdout.fileHandleForReading.readDataToEndOfFile()
            errorsRead.wait()
            process.waitUntilExit()
            continuation.resume(returning: ProcessResult(
                status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                stderr: String(decoding: errors.withLock { $0 }, as: UTF8.self)))
        }.start()
    }
}

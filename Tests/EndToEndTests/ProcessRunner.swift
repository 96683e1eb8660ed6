import Foundation

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
    // Read both pipes to the end before waiting, so a large output cannot block the child.
    async let out = Task.detached { stdout.fileHandleForReading.readDataToEndOfFile() }.value
    async let err = Task.detached { stderr.fileHandleForReading.readDataToEndOfFile() }.value
    let (outData, errData) = await (out, err)
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

import Foundation
import ServiceLog

/// customerctl's standard output, written so that a failed write is an error with its cause, never
/// a trap and never a silent loss (redteam30).
///
/// Foundation's `FileHandle.write(_:)` traps when write(2) fails (a `try!` inside): `customers
/// export > FILE` on a full disk ended in SIGILL and a crash report instead of an error, and a table
/// printed to a full disk (`print`, which stdio buffers) was lost while customerctl exited 0. Here
/// bytes go out with write(2), after print's buffer so their order holds, and `finish()` says
/// whether what print buffered reached the file.
enum StandardOutput {
    /// Writes `data` whole to descriptor 1, after what `print` has buffered.
    static func write(_ data: Data) throws(StandardOutputError) {
        try flushPrinted()
        let failure = data.withUnsafeBytes { DescriptorOutput.writeAll($0, to: STDOUT_FILENO) }
        if let failure { throw StandardOutputError(errno: failure) }
    }

    /// Pushes out what `print` buffered; throws when it, or anything printed before, could not be
    /// written (glibc keeps a failed buffer, so a failure earlier in the run fails here too).
    static func finish() throws(StandardOutputError) {
        try flushPrinted()
    }

    private static func flushPrinted() throws(StandardOutputError) {
        // fflush(NULL): every stdio stream, since Glibc's `stdout` is a C global that Swift 6's strict
        // concurrency does not let this code name; customerctl writes through no other.
        if fflush(nil) != 0 { throw StandardOutputError(errno: errno) }
    }
}

/// Standard output could not be written (a full disk, a file past its size limit, a closed reader).
struct StandardOutputError: Error, CustomStringConvertible {
    let errno: Int32

    var description: String {
        "cannot write to standard output: \(String(cString: strerror(errno)))"
    }
}

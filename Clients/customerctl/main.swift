import CommandLineKit
import Foundation
import ServiceLog

// First, before anything opens a descriptor: started with 0, 1 or 2 closed (`customerctl … 2>&-`,
// a cron line or wrapper that passes nothing), a descriptor libdispatch opened took the number,
// and the first line written to standard error (an error, `next page: …`) made Foundation's
// FileHandle.write trap: exit 132 and a crash report instead of the answer (redteam30).
do {
    try StandardDescriptors.openMissing()
} catch {
    // Nowhere to say it: standard error is what could not be opened.
    exit(ExitStatus.failure)
}
let status = await CommandLineTool.main(Array(CommandLine.arguments.dropFirst()))
// What `print` buffered is written at exit, where a failure (a full disk) went unnoticed and the
// command exited 0 with its output lost: flushed here, a failure is an error (redteam30).
do {
    try StandardOutput.finish()
} catch {
    LogSink.writeToStandardError("Error: \(error)\n")
    exit(status == ExitStatus.success ? ExitStatus.failure : status)
}
exit(status)

import CommandLineKit
import Glibc
import Testing

@Suite struct ChildProcessTests {
    @Test func runCapturesBothOutputsAndTheExitCode() throws {
        let result = try ChildProcess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(result.status == 3)
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "out\n")
        #expect(String(decoding: result.standardError, as: UTF8.self) == "err\n")
    }

    @Test func theChildGetsTheGivenEnvironmentOnly() throws {
        let result = try ChildProcess.run("/bin/sh", ["-c", "echo \"$GREETING ${HOME-no home}\""],
                                          environment: ["GREETING": "hello"])
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "hello no home\n")
    }

    @Test func aDescriptorOfTheParentIsNotInheritedByTheChild() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)   // no close-on-exec: only the spawn's close-from keeps it out
        defer { ends.forEach { close($0) } }
        let result = try ChildProcess.run("/bin/sh", ["-c", "ls /proc/self/fd"])
        let open = Set(String(decoding: result.standardOutput, as: UTF8.self).split(separator: "\n").compactMap { Int32($0) })
        #expect(!open.contains(ends[0]) && !open.contains(ends[1]))
        #expect(open.isSubset(of: [0, 1, 2, 3]))   // 3: the directory ls reads
    }

    @Test func terminateEndsALongRunningChildAndTheStatusSaysBySignal() throws {
        let child = try ChildProcess.spawn("/bin/sleep", ["30"])
        #expect(child.isRunning)
        child.terminate()
        #expect(child.waitUntilExit() == 128 + SIGTERM)
        #expect(!child.isRunning)
        #expect(child.terminationStatus == 128 + SIGTERM)
    }

    @Test func aMissingExecutableIsASpawnErrorNamingIt() {
        #expect(throws: SpawnError.self) { try ChildProcess.spawn("/nonexistent/tool", []) }
        do {
            _ = try ChildProcess.spawn("/nonexistent/tool", [])
        } catch {
            #expect(error.description == "cannot start /nonexistent/tool: No such file or directory")
        }
    }
}

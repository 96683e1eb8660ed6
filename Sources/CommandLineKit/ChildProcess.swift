import Dispatch
import Foundation
import Glibc
import Synchronization

/// A child process started with posix_spawn(3), for the tools and tests that start `customerd` or
/// run `customerctl`.
///
/// Why not Foundation's `Process`: on Linux its `run()` scans /proc/self/fd with a 256-byte copy
/// of each directory entry and crashes the parent when an entry ends near an unmapped page
/// (swift-corelibs-foundation #5472, fixed upstream after the Swift 6.3 release): the end-to-end
/// suite died with SIGSEGV in `Process.run()` in two of three runs here. This spawns directly and
/// closes every inherited descriptor above 2 in the child (`posix_spawn_file_actions_addclosefrom_np`,
/// glibc 2.34+), so a child never holds another child's pipe open.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    private let exitStatus = Mutex<Int32?>(nil)

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// Starts `executable` (a path) with `arguments`, in `environment` (nil: this process's).
    /// `standardOutput`/`standardError`: descriptors the child writes to instead of ours.
    /// `passing`: descriptors the child gets open as 3, 4, ... (as a service manager passes
    /// sockets); every other descriptor above 2 is closed in the child.
    public static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                             standardOutput: Int32? = nil, standardError: Int32? = nil,
                             passing descriptors: [Int32] = []) throws(SpawnError) -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let standardOutput { posix_spawn_file_actions_adddup2(&actions, standardOutput, 1) }
        if let standardError { posix_spawn_file_actions_adddup2(&actions, standardError, 2) }
        let firstFree = 3 + Int32(descriptors.count)
        // dup2 onto its own number keeps close-on-exec set (and one source may sit on another's
        // target): copy every source above the targets first; the copies close on exec.
        var sources: [Int32] = []
        defer { for source in sources { close(source) } }
        for descriptor in descriptors {
            let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, firstFree)
            guard copy >= 0 else { throw SpawnError(executable: executable, errno: errno) }
            sources.append(copy)
        }
        for (index, source) in sources.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, source, 3 + Int32(index))
        }
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, firstFree) }
        // The child starts with no blocked signals and default handlers: it inherits the spawning
        // thread's mask otherwise, and runtime threads here block SIGTERM (then terminate() would not).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = CStringArray([executable] + arguments)
        let envp = environment.map { CStringArray($0.map { "\($0.key)=\($0.value)" }) }
        var pid: pid_t = 0
        let code = argv.withPointers { argvPointer in
            if let envp {
                return envp.withPointers { posix_spawn(&pid, executable, &actions, &attributes, argvPointer, $0) }
            }
            return posix_spawn(&pid, executable, &actions, &attributes, argvPointer, environ)
        }
        guard code == 0 else { throw SpawnError(executable: executable, errno: code) }
        return ChildProcess(pid: pid)
    }

    /// What a child printed, and how it ended.
    public struct Output: Sendable {
        public let status: Int32
        public let standardOutput: [UInt8]
        public let standardError: [UInt8]
    }

    /// Runs `executable` to completion, capturing both of its outputs. Blocks the calling thread
    /// (standard error is drained on a thread of its own meanwhile, so neither pipe can fill up).
    /// `started` gets the child once it runs, so another thread can end it (a caller's time-out).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           started: (ChildProcess) -> Void = { _ in }) throws(SpawnError) -> Output {
        let output = try Pipe(executable: executable)
        let errors = try Pipe(executable: executable)
        let child: ChildProcess
        do {
            child = try spawn(executable, arguments, environment: environment,
                              standardOutput: output.writeEnd, standardError: errors.writeEnd)
        } catch {
            output.closeBoth()
            errors.closeBoth()
            throw error
        }
        output.closeWriteEnd()
        errors.closeWriteEnd()
        started(child)
        let errorBytes = Mutex<[UInt8]>([])
        let errorsRead = DispatchSemaphore(value: 0)
        // Not `DispatchQueue.global()`: on Linux that is the cooperative pool's own queue, so the
        // drain (and this caller, blocked on it below) waited for a pool thread, for as long as
        // tasks blocking the pool held them all (the test suite's `--help` runs timed out at 300 s).
        Thread {
            let bytes = errors.readToEnd()
            errorBytes.withLock { $0 = bytes }
            errorsRead.signal()
        }.start()
        let outputBytes = output.readToEnd()
        errorsRead.wait()
        return Output(status: child.waitUntilExit(), standardOutput: outputBytes,
                      standardError: errorBytes.withLock { $0 })
    }

    /// Sends `signal` (SIGTERM by default) unless the child has already been waited for.
    public func terminate(_ signal: Int32 = SIGTERM) {
        exitStatus.withLock { status in
            if status == nil { _ = kill(pid, signal) }
        }
    }

    /// Whether the child still runs (reaps it when it has exited).
    public var isRunning: Bool {
        exitStatus.withLock { status in
            if status == nil { status = Self.reap(pid, options: WNOHANG) }
            return status == nil
        }
    }

    /// Blocks until the child exits; its exit code, or 128 + the signal that ended it (as a shell reports).
    @discardableResult
    public func waitUntilExit() -> Int32 {
        if let status = exitStatus.withLock({ $0 }) { return status }
        // Not under the lock: `terminate()` must still be able to signal while this waits.
        let status = Self.reap(pid, options: 0) ?? exitStatus.withLock({ $0 }) ?? -1
        exitStatus.withLock { $0 = $0 ?? status }
        return status
    }

    /// The exit status once known.
    public var terminationStatus: Int32? { exitStatus.withLock { $0 } }

    private static func reap(_ pid: pid_t, options: Int32) -> Int32? {
        var raw: Int32 = 0
        while true {
            let result = waitpid(pid, &raw, options)
            if result == pid { break }
            if result == -1 && errno == EINTR { continue }
            return nil   // still running (WNOHANG), or already reaped by another waiter
        }
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np`, looked up at run time because Swift's
    /// Glibc module does not declare it (it is a GNU extension).
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0),
                                                           "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }
}

/// A child process that could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    public let executable: String
    public let errno: Int32
    public var description: String { "cannot start \(executable): \(String(cString: strerror(errno)))" }
}

/// NUL-terminated copies of strings, as argv and envp, freed with the value.
private final class CStringArray {
    private let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let count: Int

    init(_ strings: [String]) {
        count = strings.count + 1
        pointers = .allocate(capacity: count)
        for (index, string) in strings.enumerated() { (pointers + index).initialize(to: strdup(string)) }
        (pointers + strings.count).initialize(to: nil)
    }

    deinit {
        for index in 0..<count { free(pointers[index]) }
        pointers.deallocate()
    }

    func withPointers<R>(_ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        body(pointers)
    }
}

/// A pipe whose descriptors close on exec (only the child's dup2'ed copies survive into it; the
/// close-from action covers the moment between pipe(2) and fcntl(2), as Glibc has no pipe2).
private final class Pipe: Sendable {
    let readEnd: Int32
    let writeEnd: Int32

    init(executable: String) throws(SpawnError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw SpawnError(executable: executable, errno: errno) }
        readEnd = ends[0]
        writeEnd = ends[1]
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    }

    /// Called once: after the spawn (the child holds its own copy), or by ``closeBoth()``.
    func closeWriteEnd() {
        close(writeEnd)
    }

    func closeBoth() {
        closeWriteEnd()
        close(readEnd)
    }

    /// Reads until end of file, then closes the read end (a failed read, which a pipe's read end
    /// does not meet, gives nothing).
    func readToEnd() -> [UInt8] {
        defer { close(readEnd) }
        return (try? DescriptorInput.readAll(from: readEnd, named: "a child's output")) ?? []
    }
}

import TestSupport
import Foundation
import Glibc
import Testing
@testable import CustomerStore
import SQLiteEngine

/// The order in which a cut log is noticed: the marker that stops the next start is on disk before
/// any call is refused for the cut (a call answered `DATA_LOSS` first, and the server killed then,
/// left a start that served what was left).
@Suite struct CutShortNoticeTests {
    /// The thread that meets the cut first is held while it writes the marker (the marker's path
    /// is a FIFO, so its open(2) waits for a reader); meanwhile another call is not refused for the
    /// cut. Once the marker is written (here it fails: a FIFO cannot be fsynced) every call is.
    @Test func noCallIsRefusedForACutBeforeItsMarkerIsWritten() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("customers.sqlite")
        let watch = DatabaseFileWatch(databasePath: database) { 0 }
        let marker = CutShortMarker.path(forDatabase: database)
        #expect(mkfifo(marker, 0o600) == 0, "mkfifo: errno \(errno)")
        let shortRead = StoreError.sqlite(SQLiteError(code: StoreError.ioErrorShortRead, message: "short read",
                                                      context: "reading a page the log held"))
        let threadName = "cut-notice-\(getpid() % 10_000)"

        // A thread started at once, not a child task that first waits for a cooperative-pool thread
        // (which other tests' bodies may hold past the wait below).
        let first = ThreadTask<String> {
            // The thread's name in /proc. Not `Thread.current.name`: Foundation applies it only once
            // the parent has stored the new thread's handle, which the thread may run before (then
            // the name was kept but never set, and the wait below never found the thread).
            // (Glibc's module has no pthread_setname_np: the kernel's own file for it.)
            let comm = open("/proc/thread-self/comm", O_WRONLY)
            _ = threadName.withCString { write(comm, $0, strlen($0)) }
            close(comm)
            return "\(watch.noticing(shortRead))"
        }
        let blocked = await onThread { Self.waitUntilThread(named: threadName, isIn: "wait_for_partner") }
        #expect(blocked, "the noticing thread never reached the marker's open(2)")
        #expect(throws: Never.self) { try watch.requireNotCutShort() }

        // Read the marker's bytes, which lets its writer go on.
        let written = await onThread { () -> String in
            guard let handle = FileHandle(forReadingAtPath: marker) else { return "" }
            defer { try? handle.close() }
            return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        }
        let firstAnswer = try await first.value
        #expect(written.contains("was cut short while the server ran"))
        #expect(firstAnswer.contains("was cut short"))
        let later = #expect(throws: StoreError.self) { try watch.requireNotCutShort() }
        #expect("\(later.map { "\($0)" } ?? "")".contains("the marker that would stop the next start could not be written"))
    }

    /// Waits (at most 300 s, on the caller's own thread) until a thread of this process named `name`
    /// sleeps in the kernel function `wchan`. Bounded by the clock, not by a count of looks: each
    /// look reads every thread's name, which takes long with a full run's hundreds of threads.
    private static func waitUntilThread(named name: String, isIn wchan: String) -> Bool {
        let deadline = ContinuousClock.now + .seconds(300)
        while ContinuousClock.now < deadline {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
            for task in tasks {
                let comm = (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) ?? ""
                guard comm.trimmingCharacters(in: .whitespacesAndNewlines) == name else { continue }
                let sleepingIn = (try? String(contentsOfFile: "/proc/self/task/\(task)/wchan", encoding: .utf8)) ?? ""
                if sleepingIn == wchan { return true }
            }
            usleep(1_000)
        }
        return false
    }
}

import Foundation
import Glibc

/// CPU time of a process, in nanoseconds, user + system.
struct CPUTime: Sendable {
    var nanoseconds: UInt64

    /// This process, from `getrusage(RUSAGE_SELF)` (microsecond resolution).
    static func ofThisProcess() -> CPUTime {
        var usage = rusage()
        _ = getrusage(RUSAGE_SELF.rawValue, &usage)
        func ns(_ time: timeval) -> UInt64 { UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_usec) * 1000 }
        return CPUTime(nanoseconds: ns(usage.ru_utime) + ns(usage.ru_stime))
    }

    /// Another process, from fields 14 and 15 (utime, stime, in clock ticks) of `/proc/PID/stat`
    /// (proc(5)); `nil` when the process is gone or not ours to read. Resolution: one tick (10 ms).
    static func ofProcess(_ pid: Int32) -> CPUTime? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return parseStat(text, ticksPerSecond: UInt64(max(1, sysconf(Int32(_SC_CLK_TCK)))))
    }

    /// The comm field (2) is in parentheses and may hold spaces: fields are counted after its ")".
    static func parseStat(_ text: String, ticksPerSecond: UInt64) -> CPUTime? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
        guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return nil }
        return CPUTime(nanoseconds: (user + system) * 1_000_000_000 / ticksPerSecond)
    }
}

/// Resident memory of a process, from `VmRSS` in `/proc/PID/status` (kB), in bytes.
func residentBytes(ofProcess pid: Int32) -> UInt64? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ UInt64($0) }) else { return nil }
    return kilobytes * 1024
}

/// The pid of the process listening on a Unix socket: connect and ask the kernel (`SO_PEERCRED`,
/// unix(7): pid, uid, gid as three 32-bit integers). `nil` if unreachable.
func serverProcessID(socketPath: String) -> Int32? {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let pathBytes = Array(socketPath.utf8)
    guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (offset, byte) in pathBytes.enumerated() { raw[offset] = byte }
    }
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard connected == 0 else { return nil }
    var credentials: [Int32] = [0, 0, 0]
    var length = socklen_t(12)
    guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0, credentials[0] > 0 else { return nil }
    return credentials[0]
}

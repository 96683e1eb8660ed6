import CommandLineKit
import Foundation
import Glibc

/// `--socket-mode MODE` and `--socket-group GROUP`: the explicit way to let other OS users reach
/// the socket. They only open the door; who a caller is still comes from SO_PEERCRED, and what
/// it may do from its permission profile.
enum SocketAccessOptions {
    /// The socket's mode and group; `--socket-group` alone means mode 0660.
    /// - Throws: `UsageError` naming the option and what is wrong with it.
    static func parse(mode: String?, group: String?) throws(UsageError) -> (mode: UInt32, group: UInt32?) {
        var bits: UInt32 = group == nil ? 0o600 : 0o660
        if let mode {
            // Octal digits only (0660 or 660); UInt32(_:radix:) also takes a sign, which is refused here.
            guard !mode.isEmpty, mode.count <= 4, mode.allSatisfy({ ("0"..."7").contains($0) }),
                  let value = UInt32(mode, radix: 8) else {
                throw UsageError("--socket-mode needs an octal mode such as 0600 or 0660, got '\(mode)'")
            }
            guard value & ~0o666 == 0, value & 0o600 == 0o600 else {
                throw UsageError("--socket-mode \(mode): the owner needs read and write (0600), and only read and "
                                 + "write bits may be given (no execute, setuid, setgid or sticky bits)")
            }
            bits = value
        }
        guard let group else { return (bits, nil) }
        guard bits & 0o060 != 0 else {
            throw UsageError("--socket-group \(group) has no effect with --socket-mode \(String(bits, radix: 8)); use e.g. 0660")
        }
        return (bits, try groupID(group))
    }

    /// A group name from the group database, or a numeric gid that exists in it.
    private static func groupID(_ name: String) throws(UsageError) -> UInt32 {
        if let entry = getgrnam(name) { return entry.pointee.gr_gid }
        if name.allSatisfy({ ("0"..."9").contains($0) }), let gid = UInt32(name), getgrgid(gid) != nil { return gid }
        throw UsageError("--socket-group: no group '\(name)' on this system")
    }
}

import Glibc
import RPCCore

/// A failed system call: its name and `errno`, with the C library's text for it.
public struct IOError: Error, Sendable, Hashable, CustomStringConvertible {
    public let call: String
    public let errno: Int32

    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// `strerror(errno)`, e.g. "No such file or directory".
    public var reason: String { String(cString: strerror(errno)) }

    public var description: String { "\(call): \(reason) (errno \(errno))" }
}

/// The one wrapper every system call goes through: retries on EINTR (POSIX lets a signal interrupt
/// a blocking call before it did anything) and throws ``IOError`` naming the call otherwise.
@inline(__always)
package func syscall<Result: BinaryInteger>(_ name: String, _ body: () -> Result) throws(IOError) -> Result {
    while true {
        let result = body()
        if result >= 0 { return result }
        let code = errno
        if code == EINTR { continue }
        throw IOError(call: name, errno: code)
    }
}

import Glibc

/// Descriptors 0, 1 and 2 held open before a program opens anything else.
///
/// A program started with one of them closed (`customerd 2>&-`, a supervisor or a wrapper that
/// closes what it does not pass) hands that number to the next socket or file it opens: customerd's
/// log lines, written to "standard error", then went into whatever took descriptor 2, an accepted
/// client's connection among them (redteam29). Holding /dev/null there first sends such writes
/// nowhere, as they would go for a program started with `2>/dev/null`.
public enum StandardDescriptors {
    /// Opens /dev/null on each of descriptors 0, 1 and 2 that is closed; the ones it opened.
    /// Call it first, before any other thread or library opens a descriptor.
    @discardableResult
    public static func openMissing() throws(StandardDescriptorError) -> [Int32] {
        var opened: [Int32] = []
        for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            // Not close-on-exec: a child started later inherits them as its standard descriptors.
            let null = open("/dev/null", O_RDWR)
            guard null >= 0 else { throw StandardDescriptorError(descriptor: descriptor, errno: errno) }
            if null != descriptor {
                // Only when another thread opened something meanwhile: put it where it belongs.
                let moved = dup2(null, descriptor)
                let failure = errno
                close(null)
                guard moved == descriptor else { throw StandardDescriptorError(descriptor: descriptor, errno: failure) }
            }
            opened.append(descriptor)
        }
        return opened
    }
}

/// /dev/null could not be opened on a closed standard descriptor (a chroot without /dev, the
/// descriptor limit at 0).
public struct StandardDescriptorError: Error, CustomStringConvertible {
    public let descriptor: Int32
    public let errno: Int32

    public var description: String {
        "descriptor \(descriptor) is closed and /dev/null could not be opened on it (\(String(cString: strerror(errno))))"
    }
}

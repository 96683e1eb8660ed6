/// The operating-system identity of the process at the other end of a Unix socket,
/// as the kernel reports it (`SO_PEERCRED`): it cannot be forged by the peer.
public struct PeerCredentials: Sendable, Hashable {
    public let uid: UInt32
    public let gid: UInt32
    public let pid: Int32

    public init(uid: UInt32, gid: UInt32, pid: Int32) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
    }
}

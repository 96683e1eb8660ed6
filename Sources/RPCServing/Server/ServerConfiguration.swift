import RPCCore
import RPCTransport
import ServiceLog

/// Everything a server can be tuned by; every limit has a documented default (PROTOCOL.md, "Limits").
public struct ServerConfiguration: Sendable {
    /// Where the Unix socket file is created.
    public var socketPath: String
    /// Permission bits of the socket file (default 0o600: only the server's user may connect).
    public var socketMode: UInt32 = 0o600
    /// The group the socket file is given (nil: the server's group). With a `socketMode` such as
    /// 0o660 it lets that group's members connect; who they are is still read off the socket.
    public var socketGroup: UInt32?
    /// A listening socket handed over by a service manager (socket activation): served instead of
    /// creating `socketPath`, so `socketMode` and `socketGroup` do not apply (the service manager
    /// set them), and it is closed but not removed at shutdown.
    public var inheritedSocket: InheritedListeningSocket?
    /// Largest frame accepted, header excluded (default 4 MiB). Larger CALL_START or MESSAGE
    /// frames fail that call with RESOURCE_EXHAUSTED; the connection stays usable.
    public var maxFrameSize: Int = 4 * 1024 * 1024
    /// Calls in flight on one connection (default 100); more are refused with RESOURCE_EXHAUSTED.
    public var maxConcurrentCallsPerConnection: Int = 100
    /// Open connections (default 1024); more are refused with a GOAWAY RESOURCE_EXHAUSTED.
    public var maxConnections: Int = 1024
    /// Open connections of one OS user (peer uid) (default 512); more are refused with a GOAWAY
    /// RESOURCE_EXHAUSTED before any handshake work, so one user cannot take every slot (and with
    /// them the server's file descriptors) from the others.
    public var maxConnectionsPerUser: Int = 512
    /// The last this many of `maxConnections` (default 64) are kept for OS users holding fewer than
    /// `connectionReserveUserLimit` connections: a user holding that many is refused one of them
    /// with a GOAWAY RESOURCE_EXHAUSTED. Without it two local users (any two, CustomerCard users or
    /// not: `nobody` will do when the socket is 0666) could hold 512 connections each, kept alive
    /// with PINGs, and lock every other user out.
    public var connectionReserve: Int = 64
    /// Connections a user may hold and still be given one of the `connectionReserve` (default 4).
    public var connectionReserveUserLimit: Int = 4
    /// Calls in flight of one OS user (peer uid) on all its connections together (default 16 384:
    /// customer-bench's 256 connections with 64 calls each); more are refused with RESOURCE_EXHAUSTED.
    /// Each call in flight may hold a server thread, so one user cannot hold them all.
    public var maxCallsPerUser: Int = 16_384
    /// Server-streaming calls of one OS user open at once on all its connections together (default
    /// 256); more are refused at their start with RESOURCE_EXHAUSTED. A stream whose client stops
    /// reading pauses, and holds its thread and its handler's batch until it ends: without this
    /// limit only `maxCallsPerUser` bounded them (500 connections x 4 unread exports held 2 000
    /// threads, HARDENING.md). An honest user runs a few at once (an export, a listing stream, a
    /// change-feed watch per process), so 256 is 256 such processes of one user.
    public var maxServerStreamsPerUser: Int = 256
    /// Unary calls of one OS user that run at once on threads besides its connections' readers, on
    /// all its connections together (default 256). A reader running a unary call hands reading to
    /// another thread when the call runs long with frames behind it (or hands the call off), so
    /// calls that wait (for a database reader, for the writer) each held a thread: one user's 100
    /// connections of 2 000 unread listings held 7 000 to 8 200 threads (HARDENING.md). Past this
    /// limit a connection's reader runs its unary call itself and reads on after it, so its
    /// calls run one after another; no call is refused.
    public var maxUnaryThreadsPerUser: Int = 256
    /// Input bytes one OS user (peer uid) may make the server hold on all its connections together
    /// (default 256 MiB): frames being read (a frame whose payload is over 16 KiB counts its
    /// announced length from its header on) and client-stream messages buffered for their handlers.
    /// The frame or message that would pass it ends its call with RESOURCE_EXHAUSTED; the connection
    /// goes on. Without it one user could hold its connections x (a 4 MiB frame + 16 MiB of streams).
    public var maxInputBytesPerUser: Int = 256 * 1024 * 1024
    /// A connection with no call in flight and no frame received for this long is closed (default 5 min).
    public var idleTimeout: Duration = .seconds(300)
    /// A client must complete its HELLO within this time (default 5 s).
    public var handshakeTimeout: Duration = .seconds(5)
    /// On shutdown, calls in flight get this long to finish before they are cancelled (default 10 s).
    public var shutdownGracePeriod: Duration = .seconds(10)
    /// After the grace period, how long the shutdown waits for the `UNAVAILABLE` STATUS of the calls
    /// it cut to be written before it cuts their sockets (default 1 s): only a client that does not
    /// read makes it wait this long, and its STATUS is then lost.
    public var shutdownStatusWait: Duration = .seconds(1)
    /// Bytes of outgoing frames one connection may hold queued for a client that does not read
    /// (default 1 MiB); past it, the connection starts no new call until its client reads, and
    /// stream messages wait to be written (one frame may exceed it); the STATUS of a call that was
    /// already running is queued past it. Bounds memory whatever flow-control window the client grants.
    public var maxQueuedBytesPerConnection: Int = 1024 * 1024
    /// Of those, what one stream's messages may hold (default 256 KiB), so one stream cannot take
    /// the whole connection's share.
    public var maxQueuedBytesPerStream: Int = 256 * 1024
    /// Outgoing bytes one OS user (peer uid) may have queued on all its connections together, past
    /// the first 64 KiB of each connection's queue (default 32 MiB: 32 connections' full queues).
    /// A connection that finds it used up while it holds 64 KiB or more unsent is held back as at
    /// its own limit (no new call starts, stream messages wait); its own client reading wakes it. Without it one user's
    /// 512 connections could each hold `maxQueuedBytesPerConnection`. Clients that read keep their
    /// queues under the uncounted 64 KiB and never meet it.
    public var maxQueuedBytesPerUser: Int = 32 * 1024 * 1024
    /// Per-stream flow-control window this server grants for client-to-server messages (default 256 KiB).
    public var initialStreamWindow: Int = 256 * 1024
    /// Client-stream messages one connection's calls may hold received and not yet taken by their
    /// handlers, all streams together (default 16 MiB); the message that would pass it ends its call
    /// with RESOURCE_EXHAUSTED. Flow control alone bounds each stream (window + one frame: a sender
    /// with any credit left may send a whole frame), not the sum: with 100 calls a connection could
    /// otherwise make the server hold 100 x (256 KiB + 4 MiB).
    public var maxBufferedClientStreamBytesPerConnection: Int = 16 * 1024 * 1024
    /// The longest a client-streaming handler waits for the client's next message (default 60 s);
    /// past it the call ends DEADLINE_EXCEEDED. A handler may hold something others wait for while
    /// it reads (an import holds the database's writer), so a client that goes silent must not keep it.
    public var clientStreamMessageTimeout: Duration = .seconds(60)
    /// A unary call that takes at least this long is logged, one line at warning level with its
    /// method, caller, duration and status (default 500 ms); nil logs none. Ordinary calls log
    /// nothing, and streams none: their length is their peer's (a watch lasts for hours).
    public var slowCallThreshold: Duration? = .milliseconds(500)
    /// At most one slow-call line per this interval (default 100 ms: ten a second), the next line
    /// saying how many were left out (`suppressed=N`): one user can end hundreds of slow calls a
    /// second, and the log must not grow with them.
    public var slowCallLogInterval: Duration = .milliseconds(100)
    /// The `call failed` lines (error level: a call answered for a cause the caller cannot see,
    /// logged with its reference) one OS user's calls may write per interval (default 100 a
    /// minute): once the store fails, every call of a loop fails the same way and each line is
    /// about 1.3 KB. Past it the user's failed calls are still answered with a reference, counted,
    /// and its next line let through says how many were left out (`suppressed=N`).
    public var failedCallLogLimit = PerUserLogLimit(lines: 100, interval: .seconds(60))
    /// Whether the caller may read the server's activity in `GetServerInfo` (connections, calls by
    /// status and in flight, per-method statistics); anyone else gets versions, limits and uptime,
    /// with `statisticsWithheld` set. Everyone may by default (a bare RPC server knows no users); an
    /// application with users lets only them, so a local non-user cannot follow their activity.
    public var mayReadStatistics: @Sendable (PeerCredentials) -> Bool = { _ in true }
    /// Reported in HELLO and by the server-info service.
    public var serverName: String = "rpc-server"
    public var serverVersion: String = "0.0.0"

    public init(socketPath: String) {
        self.socketPath = socketPath
    }

    /// The `connectionReserve` the server applies (and reports): never below 0 nor above the
    /// connections it serves.
    var appliedConnectionReserve: Int { min(max(connectionReserve, 0), maxConnections) }
}

import Glibc
import RPCCore
import RPCTransport
import ServiceLog

/// A server for the CustomerCard RPC protocol on a Unix domain socket.
///
/// ## Threading: thread per connection, leader/follower within a connection
/// Handlers are synchronous closures run on the connection's own threads. One thread per
/// connection reads the socket (the leader) and handles control frames inline. When it reads a
/// call it runs the handler itself and writes the answer (one `read`, one `send`, no hand-off):
/// - a unary call runs *inline*, the leader keeping the reader role; ``LeadershipWatchdog``
///   promotes a follower if the handler runs longer than 0.5 ms, so a slow call never holds up
///   the next one (already buffered or still to arrive) for long; pipelined calls thus run one
///   after another on one thread without a wake-up each, and the answers of calls read together
///   leave in one `send`;
/// - for a streaming call, or a method that may wait long (``MethodDescriptor/mayWaitLong``) with
///   frames already read behind it, the leader first hands the reading role to an idle follower
///   of the same connection (started lazily, up to the call limit + 1).
/// Either way calls on one connection run concurrently and complete out of order. A thread that
/// answered a call checks its socket without blocking for a moment before it sleeps, while the
/// server is otherwise idle (``IdleSpin``), so a client calling in a loop finds it awake.
///
/// Why: on this 2-vCPU machine a thread-per-connection blocking echo server beat one- and
/// two-thread epoll servers at 16 connections, and waking a sleeping thread costs ~20 µs (more in
/// context-switch CPU on this VM), more than a whole health check. So the call's own path has no
/// hop, and the lone-call case does not even wake a follower beside it: `perf stat` on
/// `customer-bench ping` measured 4.9 context switches per lone call with inline calls against
/// 10.5 with an unconditional hand-off. Writes from concurrent handlers are coalesced into one
/// `send`. Readers wait in poll(POLLIN) before read(2), which spares them the spurious wake-up a
/// Unix socket gives a blocked reader each time the peer consumes what was written (2.6 instead of
/// 3.4+ context switches per call at 16 callers). Blocking system calls give back-pressure for free: a client that stops reading blocks
/// only its own connection's writers, which wait once the connection (or the stream) holds its
/// queue limit, whatever window the client granted (``FrameWriter``; PROTOCOL.md, "Flow control"). Deadlines use one shared timer thread that is signalled only when a new
/// deadline is earlier than its planned wake-up, so timeouts add no wake-ups in the steady state.
public final class RPCServer: Sendable {
    let runtime: ServerRuntime
    let lifecycle = Lifecycle()

    /// Creates a server for `services`, plus the built-in health, server-info and reflection services.
    public init(configuration: ServerConfiguration, services: [any RPCService],
                interceptors: [any ServerInterceptor] = [], logger: Logger) {
        let statistics = ServerStatistics()
        let catalog = MethodCatalog()
        let health = HealthStatusRegistry(services: [])
        var router = Router()
        let builtins: [any RPCService] = [
            HealthService(registry: health),
            ServerInfoService(configuration: configuration, statistics: statistics, catalog: catalog),
            ReflectionService(catalog: catalog),
        ]
        for service in builtins + services { service.register(with: &router) }
        catalog.set(router.registrations)
        for service in Set(router.methods.map(\.service)) { health.setStatus(.serving, forService: service) }
        runtime = ServerRuntime(configuration: configuration, router: router, interceptors: interceptors,
                                logger: logger, health: health, statistics: statistics)
    }

    /// Serving status reported by the health service, overall and per service.
    public var health: HealthStatusRegistry { runtime.health }

    /// The socket path this server listens on.
    public var socketPath: String { runtime.configuration.socketPath }

    /// Creates the socket file (or takes the inherited socket) and starts accepting connections.
    /// Throws ``RPCServerError`` when a live server holds the path, permissions forbid it, and so on.
    public func start() throws {
        try lifecycle.beginStarting()
        // A write to a peer that went away must fail with EPIPE, not kill the process (sends also
        // pass MSG_NOSIGNAL; this covers any other write path, e.g. in handlers).
        signal(SIGPIPE, SIG_IGN)
        // Under a file-size limit (`ulimit -f`, systemd's LimitFSIZE=) the first write past it would
        // kill the process with SIGXFSZ; ignored, that write fails EFBIG and only its call fails.
        signal(SIGXFSZ, SIG_IGN)
        do {
            let configuration = runtime.configuration
            let listener: any ListeningSocket
            if let inherited = configuration.inheritedSocket {
                listener = inherited
            } else {
                listener = try SocketFileListener.open(path: configuration.socketPath, mode: configuration.socketMode,
                                                       group: configuration.socketGroup)
            }
            let acceptLoop = try AcceptLoop(listener: listener, runtime: runtime)
            lifecycle.started(acceptLoop)
            if configuration.inheritedSocket == nil {
                runtime.logger.info("listening", [("socket", listener.path), ("mode", String(configuration.socketMode, radix: 8))])
            } else {
                runtime.logger.info("listening on the inherited socket", [("socket", listener.path)])
            }
        } catch {
            lifecycle.failedToStart()
            throw error
        }
    }

    /// Serves a connection handed over by the caller, e.g. the server end of an ``InProcessStream``
    /// pair, exactly like one accepted from the socket (handshake, limits, identity from
    /// ``ByteStream/peerCredentials()``). Works without ``start()``; a server that was never
    /// started does not wait for such connections in ``shutdown()``: close their clients first.
    package func serve(connection: any ByteStream) {
        runtime.serve(connection)
    }

    /// Graceful shutdown: stops accepting, removes the socket file, sends GOAWAY, lets calls in
    /// flight finish within `shutdownGracePeriod`, then cancels what is left and answers it
    /// `UNAVAILABLE` (best effort: at most `shutdownStatusWait` is given to those writes). Blocks until stopped;
    /// idempotent (later and concurrent callers wait for the same stop).
    public func shutdown() {
        guard let acceptLoop = lifecycle.beginStopping() else {
            lifecycle.waitUntilStopped()
            return
        }
        let configuration = runtime.configuration
        acceptLoop.stop()
        runtime.health.setAll(.notServing)
        let connections = runtime.connections
        runtime.logger.info("shutting down", [("connections", "\(connections.count)")])
        for connection in connections { connection.beginDrain() }
        if !runtime.waitForConnections(until: .now + configuration.shutdownGracePeriod) {
            runtime.logger.warning("grace period over, cancelling the calls still running")
            for connection in runtime.connections { connection.forceClose(gracePeriod: configuration.shutdownGracePeriod) }
            if !runtime.waitForConnections(until: .now + configuration.shutdownStatusWait) {
                // A client that does not read may hold its STATUS write: cut it (see forceClose).
                for connection in runtime.connections { connection.cutOff() }
                _ = runtime.waitForConnections(until: .now + .seconds(1))
            }
        }
        lifecycle.stopped()
        runtime.logger.info("stopped")
    }

    /// Blocks until the server has stopped (returns at once if it never started).
    public func waitUntilStopped() {
        lifecycle.waitUntilStopped()
    }

    /// ``shutdown()`` for async code: the waiting (for calls to drain, up to the grace period) happens
    /// on a thread of its own while the task is suspended. Blocking a cooperative-pool thread instead
    /// starves every task of the process for that long: two servers stopping at once take both
    /// threads of a 2-core machine.
    public func shutdown() async {
        await ThreadLauncher.run { [self] in shutdown() }
    }

    /// ``waitUntilStopped()`` for async code, waiting on a thread of its own.
    public func waitUntilStopped() async {
        await ThreadLauncher.run { [self] in waitUntilStopped() }
    }
}

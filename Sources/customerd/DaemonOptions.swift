import CommandLineKit

/// customerd's options, each declared once: the parser, the USAGE line and `--help` read them.
enum DaemonOptions {
    static let socket = Option.value("socket", "PATH", help: """
        The Unix socket to listen on (created with mode 0600; see --socket-mode).
        Default: $CUSTOMER_SOCKET, else $XDG_RUNTIME_DIR/customercard/customerd.sock,
        else /tmp/customercard-UID/customerd.sock. Missing directories are created
        with mode 0700. The socket's directory must belong to the server's user and
        be writable by nobody else (else anyone who can write there could put their
        own socket in its place): one owned by another user, writable by group or
        others (such as /tmp itself), or a symbolic link is refused, and so is a
        symbolic link at the socket path. Under socket activation (below) the
        passed socket is served instead.
        """, completion: .file)
    static let socketMode = Option.value("socket-mode", "MODE", help: """
        The socket file's mode, octal: 0600 (default, only this user), 0660 (also the
        socket's group), 0666 (every local user). Read and write bits only. Callers
        are still identified by their OS user (SO_PEERCRED) and limited by their
        permission profile; an OS user that is not a CustomerCard user is refused.
        """)
    static let socketGroup = Option.value("socket-group", "GROUP", help: """
        The socket file's group (name or gid), e.g. with --socket-mode 0660;
        alone it means --socket-mode 0660. When the mode lets others in, the
        socket's directory gets search permission (x, never read or write) for them.
        """)
    static let database = Option.value("database", "PATH", help: """
        The SQLite database file (created and migrated when missing). It, its -wal
        file and stored file content are created mode 0600, directories 0700 (the
        WAL index stays in memory: no -shm file). The database's directory must belong
        to the server's user (or root) and be writable by nobody else, and its files
        already there must be the server's user's regular files: otherwise another
        user could have planted them and read every customer (exit code 3, naming
        what is wrong). One server per database: customerd
        holds PATH.lock (flock) while it runs; a second one exits with code 2 naming
        the owner's pid, and no other process can open the database meanwhile. The
        database is checked with SQLite's quick_check (over 16 MiB: right after the
        socket opens, beside serving) and refused when damaged or when it cannot be
        written (exit code 3).
        Default: $CUSTOMER_DATABASE, else $XDG_DATA_HOME/customercard/customers.sqlite,
        else ~/.local/share/customercard/customers.sqlite.
        """, completion: .file)
    static let logLevel = Option.value(
        "log-level", "LEVEL", help: "trace, debug, info, notice, warning, error or critical. Default: info.",
        choices: ["trace", "debug", "info", "notice", "warning", "error", "critical"])
    static let durability = Option.value("durability", "MODE", help: """
        normal: a crash of the process never loses an acknowledged write (SQLite
        synchronous=NORMAL in WAL mode); full: neither does a power cut
        (synchronous=FULL, slower writes). Default: normal.
        """, choices: ["normal", "full"])
    static let registryURL = Option.repeatable("registry-url", "CC=URL", help: """
        The business registry a customer refresh asks for country CC (fi or no);
        repeat it for both. Default: fi=https://avoindata.prh.fi/opendata-ytj-api/v3
        and no=https://data.brreg.no/enhetsregisteret/api (the public APIs).
        """)
    static let registryTimeout = Option.value("registry-timeout", "SECONDS", help: """
        How long one registry lookup may take before the refresh fails with
        UNAVAILABLE. Default: 10.
        """)
    static let slowCallThreshold = Option.value("slow-call-threshold", "MS", help: """
        Log one line (level warning) for each unary call that takes at least MS
        milliseconds, with its method, caller (uid and user), duration and status;
        0 logs none; fractions are allowed (0.5). Ordinary calls are never
        logged, nor streams (a watch or an import lasts as long as its client
        keeps it); at most ten lines a second are written for each OS user, its
        next one saying how many were left out (suppressed=N). Default: 500.
        """)
    static let maxConnectionsPerUser = Option.value("max-connections-per-user", "N", help: """
        Connections one OS user may hold open at once; more are refused with
        RESOURCE_EXHAUSTED before their handshake, so one user cannot take every
        connection (and file descriptor) of the server. The server as a whole
        takes 1024 (fewer when the descriptor limit, ulimit -n, leaves no room;
        the last 64 for users holding fewer than 4). Default: 512.
        """)
    static let maxCallsPerUser = Option.value("max-calls-per-user", "N", help: """
        Calls one OS user may have in flight at once, on all its connections
        together (running, or waiting for a thread); more are answered
        RESOURCE_EXHAUSTED, so one user holding many streams or slow calls cannot
        take every server thread. Each connection takes at most 100.
        Default: 16384.
        """)
    static let maxInputPerUser = Option.value("max-input-per-user", "MIB", help: """
        Input one OS user may have the server hold at once, in MiB, on all its
        connections together: frames being read (one over 16 KiB counts its
        announced length from its header on), requests over 16 KiB of its calls
        until their handlers answer, and client-stream messages not yet taken
        by their calls. The frame or message that would pass it ends its
        call with RESOURCE_EXHAUSTED (the connection goes on), so one user cannot
        take the server's memory from the others. Default: 256.
        """)
    static let maxQueuedPerUser = Option.value("max-queued-per-user", "MIB", help: """
        Answer bytes one OS user may have queued at once, in MiB, on all its
        connections together, for clients that do not read them (each
        connection's first 64 KiB uncounted). Past it, as at a connection's own
        1 MiB limit, a connection holding 64 KiB unread starts no new call and
        its exports pause until its client reads, so one user's unread answers
        cannot take the server's memory or threads from the others. Default: 32.
        """)
    static let maxStreamsPerUser = Option.value("max-streams-per-user", "N", help: """
        Server-streaming calls (exports, listing streams, mailing lists, change
        feed watches) one OS user may hold open at once, on all its connections
        together; more are refused at their start with RESOURCE_EXHAUSTED. A
        stream whose client stops reading pauses and keeps its server thread, so
        one user cannot hold thousands of them. Default: 256.
        """)
    static let maxUnaryThreadsPerUser = Option.value("max-unary-threads-per-user", "N", help: """
        Unary calls one OS user may have running at once on server threads
        besides its connections' readers, on all its connections together. Past
        it a connection runs its calls one after another on its reader instead
        of starting a thread for each, so calls waiting for a database reader
        cannot make the server start thousands of threads; no call is refused.
        Default: 256.
        """)
    static let maxImportSize = Option.value("max-import-size", "MIB", help: """
        The most one ImportCustomers stream may send, in MiB, as received (its
        messages and 4 bytes for each); it is kept in a file next to the database
        until it ends, so this bounds the disk imports can take. It bounds all
        imports in progress together too. An import passing it is refused with
        RESOURCE_EXHAUSTED and writes nothing.
        Default: 2048.
        """)
    static let importFreeSpaceReserve = Option.value("import-free-space-reserve", "MIB", help: """
        Free space, in MiB, that imports being received leave on the file system
        of the database (they are kept in files next to it until they end): an
        import whose next MiB would eat into it is refused with
        RESOURCE_EXHAUSTED and writes nothing, so imports cannot fill the disk the
        database needs. The ordered streams' id files (--max-stream-ids-per-user)
        leave it too. 0 turns the check off. Default: 256.
        """)
    static let maxStreamIDsPerUser = Option.value("max-stream-ids-per-user", "MIB", help: """
        The most disk, in MiB, one OS user's ordered streams (exports, mailing
        lists, customer streams by name or number) may hold at once for the ids
        they deliver: a stream of more than 4 096 rows keeps them, 8 bytes each,
        in a file next to the database while it runs, counted 1 MiB at a time, so
        this also bounds the file descriptors one user's streams hold (one per
        MiB). A stream past it is refused at its start with RESOURCE_EXHAUSTED.
        All users' id files together are bounded as well, to half the descriptors
        kept beside the connections (128 under the raised limit of 1280), the last
        quarter of them kept for users holding fewer than 4.
        Default: 64 (8 exports of 1 000 000 customers at once).
        """)
    static let feedRetentionDays = Option.value("feed-retention-days", "N", help: """
        WatchChanges serves the changes of the last N days (by the time each was
        written); a consumer whose cursor is older gets OUT_OF_RANGE and must
        resync. The history itself is kept (ListHistory still shows it).
        Default: no limit.
        """)
    static let feedRetentionCount = Option.value("feed-retention-count", "N", help: """
        WatchChanges serves the last N sequence numbers of the change feed; an
        older cursor gets OUT_OF_RANGE. With both options, the smaller window
        wins. Default: no limit.
        """)
    static let restore = Option.value("restore", "BACKUP", help: """
        Restore the backup in folder BACKUP (made by `customerctl admin backup`)
        as the --database, then exit; the server must be stopped (its lock is
        taken). The backup is checked first (its MANIFEST, SQLite integrity_check,
        every file's SHA-256); an incomplete or damaged one is refused and nothing
        changes. So is one another user could have written (its folder, a folder
        above it or its database or MANIFEST another user's or writable by group
        or others): the backup's users become the server's. So is one with a
        -wal, -shm or -journal file beside its database (opening it would change
        the backup). A database location that already holds data is refused too.
        """, completion: .file)
    static let force = Option.flag("force", help: """
        With --restore: replace the data already there (the database, its WAL and
        every stored file are deleted first).
        """)
    static let version = Option.flag("version", help: "Print the version and exit.")
    static let helpFlag = Option.flag("help", short: "h", help: "Show this help and exit.")

    static let signature = Signature(options: [
        socket, socketMode, socketGroup, database, logLevel, durability, registryURL, registryTimeout, slowCallThreshold,
        maxConnectionsPerUser, maxCallsPerUser, maxInputPerUser, maxQueuedPerUser, maxStreamsPerUser, maxUnaryThreadsPerUser, maxImportSize, importFreeSpaceReserve, maxStreamIDsPerUser, feedRetentionDays, feedRetentionCount, restore, force,
        version, helpFlag,
    ])

    static var usage: String { "customerd " + signature.usage }
}

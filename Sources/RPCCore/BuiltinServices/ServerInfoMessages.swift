/// `rpc.info.v1.ServerInfo`: protocol version, name, uptime, limits and counters of the server.
public enum RPCServerInfo {
    public static let serviceName = "rpc.info.v1.ServerInfo"

    /// `rpc.info.v1.ServerInfo/GetServerInfo` (unary).
    public enum GetServerInfo {
        public static let descriptor = MethodDescriptor(service: serviceName, method: "GetServerInfo", kind: .unary)
        public typealias Input = ServerInfoRequest
        public typealias Output = ServerInfoResponse
    }
}

/// No fields.
public struct ServerInfoRequest: Codable, Sendable, Hashable {
    public init() {}
    public init(from decoder: any Decoder) throws {}
    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: NoFields.self)
    }
}

/// How many calls ended with one status code. Field 1: code, 2: count.
public struct StatusCount: Codable, Sendable, Hashable {
    public var code: StatusCode
    public var count: UInt64

    public init(code: StatusCode, count: UInt64) {
        self.code = code
        self.count = count
    }

    enum CodingKeys: Int, CodingKey {
        case code = 1
        case count = 2
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decodeIfPresent(StatusCode.self, forKey: .code) ?? .ok
        count = try container.decodeIfPresent(UInt64.self, forKey: .count) ?? 0
    }
}

/// The server's identity, limits and counters (field numbers in `CodingKeys`, see PROTOCOL.md).
public struct ServerInfoResponse: Codable, Sendable, Hashable {
    public var protocolVersion: UInt32 = 0
    public var serverName: String = ""
    public var serverVersion: String = ""
    public var uptimeMilliseconds: UInt64 = 0
    public var maxFrameSize: UInt64 = 0
    public var maxConcurrentCallsPerConnection: UInt64 = 0
    public var maxConnections: UInt64 = 0
    public var idleTimeoutMilliseconds: UInt64 = 0
    public var handshakeTimeoutMilliseconds: UInt64 = 0
    public var initialStreamWindow: UInt64 = 0
    public var connectionsCurrent: UInt64 = 0
    public var connectionsTotal: UInt64 = 0
    /// Only codes with a non-zero count, in code order.
    public var callsByStatus: [StatusCount] = []
    /// Every registered method that was called at least once, by name.
    public var methods: [MethodCallStatistics] = []
    /// Calls in flight on all connections now (each is one stream).
    public var callsInFlight: UInt64 = 0
    /// Calls slower than this are logged one line each; 0 when none are.
    public var slowCallThresholdMilliseconds: UInt64 = 0
    /// Connections one OS user (peer uid) may hold open at once.
    public var maxConnectionsPerUser: UInt64 = 0
    /// Calls one OS user may have in flight, on all its connections together.
    public var maxCallsPerUser: UInt64 = 0
    /// Input bytes (frames being read, client-stream messages buffered) held for one OS user at once.
    public var maxInputBytesPerUser: UInt64 = 0
    /// Answer bytes queued for one OS user's clients at once, all its connections together, past
    /// each connection's first 64 KiB.
    public var maxQueuedBytesPerUser: UInt64 = 0
    /// Server-streaming calls one OS user may hold open at once, all its connections together.
    public var maxServerStreamsPerUser: UInt64 = 0
    /// Unary calls of one OS user running on threads besides its connections' readers, all its
    /// connections together; past them a connection runs its next unary call on its reader.
    public var maxUnaryThreadsPerUser: UInt64 = 0
    /// The last connections, kept for OS users holding fewer than `connectionReserveUserLimit`.
    public var connectionReserve: UInt64 = 0
    /// Connections an OS user may hold and still be given one of the `connectionReserve`.
    public var connectionReserveUserLimit: UInt64 = 0
    /// Answer bytes queued for one connection's client before the connection stops reading calls.
    public var maxQueuedBytesPerConnection: UInt64 = 0
    /// Answer bytes queued for one stream before its handler pauses.
    public var maxQueuedBytesPerStream: UInt64 = 0
    /// Client-stream message bytes buffered for one connection's handlers.
    public var maxBufferedClientStreamBytesPerConnection: UInt64 = 0
    /// How long a client stream may go without a message before its call ends DEADLINE_EXCEEDED.
    public var clientStreamMessageTimeoutMilliseconds: UInt64 = 0
    /// How long a graceful stop lets the calls running finish before it ends them.
    public var shutdownGracePeriodMilliseconds: UInt64 = 0
    /// True when the server left out its activity (connections, calls by status and in flight,
    /// methods) because the caller may not see it: customerd shows it to its users only.
    public var statisticsWithheld: Bool = false

    public init() {}

    enum CodingKeys: Int, CodingKey {
        case protocolVersion = 1
        case serverName = 2
        case serverVersion = 3
        case uptimeMilliseconds = 4
        case maxFrameSize = 5
        case maxConcurrentCallsPerConnection = 6
        case maxConnections = 7
        case idleTimeoutMilliseconds = 8
        case handshakeTimeoutMilliseconds = 9
        case initialStreamWindow = 10
        case connectionsCurrent = 11
        case connectionsTotal = 12
        case callsByStatus = 13
        case methods = 14
        case callsInFlight = 15
        case slowCallThresholdMilliseconds = 16
        case maxConnectionsPerUser = 17
        case maxCallsPerUser = 18
        case maxInputBytesPerUser = 19
        case maxQueuedBytesPerUser = 20
        case maxServerStreamsPerUser = 21
        case statisticsWithheld = 22
        case maxUnaryThreadsPerUser = 23
        case connectionReserve = 24
        case connectionReserveUserLimit = 25
        case maxQueuedBytesPerConnection = 26
        case maxQueuedBytesPerStream = 27
        case maxBufferedClientStreamBytesPerConnection = 28
        case clientStreamMessageTimeoutMilliseconds = 29
        case shutdownGracePeriodMilliseconds = 30
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func number(_ key: CodingKeys) throws -> UInt64 { try container.decodeIfPresent(UInt64.self, forKey: key) ?? 0 }
        protocolVersion = try container.decodeIfPresent(UInt32.self, forKey: .protocolVersion) ?? 0
        serverName = try container.decodeIfPresent(String.self, forKey: .serverName) ?? ""
        serverVersion = try container.decodeIfPresent(String.self, forKey: .serverVersion) ?? ""
        uptimeMilliseconds = try number(.uptimeMilliseconds)
        maxFrameSize = try number(.maxFrameSize)
        maxConcurrentCallsPerConnection = try number(.maxConcurrentCallsPerConnection)
        maxConnections = try number(.maxConnections)
        idleTimeoutMilliseconds = try number(.idleTimeoutMilliseconds)
        handshakeTimeoutMilliseconds = try number(.handshakeTimeoutMilliseconds)
        initialStreamWindow = try number(.initialStreamWindow)
        connectionsCurrent = try number(.connectionsCurrent)
        connectionsTotal = try number(.connectionsTotal)
        callsByStatus = try container.decodeIfPresent([StatusCount].self, forKey: .callsByStatus) ?? []
        methods = try container.decodeIfPresent([MethodCallStatistics].self, forKey: .methods) ?? []
        callsInFlight = try number(.callsInFlight)
        slowCallThresholdMilliseconds = try number(.slowCallThresholdMilliseconds)
        maxConnectionsPerUser = try number(.maxConnectionsPerUser)
        maxCallsPerUser = try number(.maxCallsPerUser)
        maxInputBytesPerUser = try number(.maxInputBytesPerUser)
        maxQueuedBytesPerUser = try number(.maxQueuedBytesPerUser)
        maxServerStreamsPerUser = try number(.maxServerStreamsPerUser)
        statisticsWithheld = try container.decodeIfPresent(Bool.self, forKey: .statisticsWithheld) ?? false
        maxUnaryThreadsPerUser = try number(.maxUnaryThreadsPerUser)
        connectionReserve = try number(.connectionReserve)
        connectionReserveUserLimit = try number(.connectionReserveUserLimit)
        maxQueuedBytesPerConnection = try number(.maxQueuedBytesPerConnection)
        maxQueuedBytesPerStream = try number(.maxQueuedBytesPerStream)
        maxBufferedClientStreamBytesPerConnection = try number(.maxBufferedClientStreamBytesPerConnection)
        clientStreamMessageTimeoutMilliseconds = try number(.clientStreamMessageTimeoutMilliseconds)
        shutdownGracePeriodMilliseconds = try number(.shutdownGracePeriodMilliseconds)
    }

    /// The count for `code` (0 when absent).
    public func calls(withStatus code: StatusCode) -> UInt64 {
        callsByStatus.first { $0.code == code }?.count ?? 0
    }
}

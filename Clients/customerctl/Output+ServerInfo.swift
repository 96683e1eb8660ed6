import CustomerClient
import Foundation

extension Output {
    /// The runtime's server info and, when the server has it, its store's status (nil from a
    /// server older than `customer.v1.ServerStatusService`).
    func serverInfo(_ info: ServerInfoResponse, store: StoreStatusResponse?) throws {
        guard format == .table else {
            return try printJSON(ServerInfoJSON(info, store: store))
        }
        var fields = FieldList()
        fields.add("server", "\(info.serverName) \(info.serverVersion)")
        fields.add("protocol version", String(info.protocolVersion))
        fields.add("uptime", String(format: "%.1f s", Double(info.uptimeMilliseconds) / 1000))
        fields.add("max frame size", "\(info.maxFrameSize) bytes")
        fields.add("max calls/connection", String(info.maxConcurrentCallsPerConnection))
        fields.add("max connections", String(info.maxConnections))
        if info.maxConnectionsPerUser > 0 {
            // Zero from a server older than these fields: nothing to show.
            fields.add("per OS user", "\(info.maxConnectionsPerUser) connections, \(info.maxCallsPerUser) calls in flight, "
                       + "\(info.maxInputBytesPerUser) input bytes held"
                       + (info.maxQueuedBytesPerUser > 0 ? ", \(info.maxQueuedBytesPerUser) answer bytes queued" : "")
                       + (info.maxServerStreamsPerUser > 0 ? ", \(info.maxServerStreamsPerUser) server streams open" : "")
                       + (info.maxUnaryThreadsPerUser > 0 ? ", \(info.maxUnaryThreadsPerUser) unary calls on threads of their own" : ""))
        }
        if info.connectionReserveUserLimit > 0 {
            fields.add("kept connections", "the last \(info.connectionReserve) for OS users holding fewer than "
                       + "\(info.connectionReserveUserLimit)")
            fields.add("per connection", "\(info.maxQueuedBytesPerConnection) answer bytes queued "
                       + "(\(info.maxQueuedBytesPerStream) a stream), "
                       + "\(info.maxBufferedClientStreamBytesPerConnection) client-stream bytes buffered")
            fields.add("client stream silence", "\(info.clientStreamMessageTimeoutMilliseconds) ms")
            fields.add("shutdown grace period", "\(info.shutdownGracePeriodMilliseconds) ms")
        }
        fields.add("idle timeout", "\(info.idleTimeoutMilliseconds) ms")
        if info.statisticsWithheld {
            fields.add("activity", "shown to the server's users only (connections, calls, methods, store)")
        } else {
            fields.add("connections", "\(info.connectionsCurrent) open, \(info.connectionsTotal) since start")
            fields.add("calls in flight", String(info.callsInFlight))
            let calls = info.callsByStatus.map { "\($0.code) \($0.count)" }.joined(separator: ", ")
            fields.add("calls by status", calls.isEmpty ? "none yet" : calls)
        }
        fields.add("slow-call log", info.slowCallThresholdMilliseconds == 0
                   ? "off" : "calls of \(info.slowCallThresholdMilliseconds) ms or more")
        if let store {
            let meanGroup = store.writeGroups == 0 ? 0 : Double(store.writes) / Double(store.writeGroups)
            fields.add("database", "\(store.databaseBytes) bytes, write-ahead log \(store.walBytes) bytes")
            fields.add("writer", "\(store.writerQueueDepth) queued; \(store.writes) writes in \(store.writeGroups) transactions "
                       + String(format: "(mean group %.1f, largest %d)", meanGroup, store.largestWriteGroup))
            fields.add("checkpoints", "\(store.checkpoints)"
                       + (store.lastCheckpointAt.map { ", last at \(Self.timestamp($0))" } ?? ""))
            fields.add("last checkpoint error", store.lastCheckpointError)
            if store.maxImportBytes > 0 {
                fields.add("imports", "\(store.maxImportBytes) bytes as received, one or all in progress together; "
                           + "\(store.importFreeSpaceReserveBytes) bytes kept free on the database's file system")
                fields.add("uploads", "\(store.maxUploadBytes) bytes a file")
            }
            if store.maxStreamIDBytesPerUser > 0 {
                fields.add("ordered streams' ids", "\(store.maxStreamIDBytesPerUser) bytes on disk per OS user at once"
                           + (store.maxStreamIDFiles > 0 ? ", \(store.maxStreamIDFiles) files of all users" : "")
                           + (store.streamIDFileReserve > 0
                              ? ", the last \(store.streamIDFileReserve) for OS users holding fewer than \(store.streamIDFileReserveUserLimit)"
                              : ""))
            }
        }
        print(fields.render(), terminator: "")
        guard !info.methods.isEmpty else { return }
        var table = TextTable(["METHOD", "CALLS", "ERRORS", "P50 MS", "P90 MS", "P99 MS", "MAX MS", "ERRORS BY STATUS"])
        for method in info.methods {
            let errors = method.callsByStatus.filter { $0.code != .ok }.map { "\($0.code) \($0.count)" }
            table.append([
                method.method, String(method.calls), String(method.errors),
                Self.milliseconds(method.p50Microseconds), Self.milliseconds(method.p90Microseconds),
                Self.milliseconds(method.p99Microseconds), Self.milliseconds(method.maxMicroseconds),
                errors.isEmpty ? "-" : errors.joined(separator: ", "),
            ])
        }
        print("")
        print(table.render(), terminator: "")
    }

    private static func milliseconds(_ microseconds: UInt64) -> String {
        String(format: "%.2f", Double(microseconds) / 1000)
    }
}

/// The server info with stable camelCase keys and status names instead of numbers.
private struct ServerInfoJSON: Encodable {
    let protocolVersion: UInt32
    let serverName: String
    let serverVersion: String
    let uptimeMilliseconds: UInt64
    let maxFrameSize: UInt64
    let maxConcurrentCallsPerConnection: UInt64
    let maxConnections: UInt64
    let maxConnectionsPerUser: UInt64
    let maxCallsPerUser: UInt64
    let maxInputBytesPerUser: UInt64
    let maxQueuedBytesPerUser: UInt64
    let maxServerStreamsPerUser: UInt64
    let maxUnaryThreadsPerUser: UInt64
    let connectionReserve: UInt64
    let connectionReserveUserLimit: UInt64
    let maxQueuedBytesPerConnection: UInt64
    let maxQueuedBytesPerStream: UInt64
    let maxBufferedClientStreamBytesPerConnection: UInt64
    let clientStreamMessageTimeoutMilliseconds: UInt64
    let shutdownGracePeriodMilliseconds: UInt64
    let idleTimeoutMilliseconds: UInt64
    let connectionsCurrent: UInt64
    let connectionsTotal: UInt64
    let callsInFlight: UInt64
    let callsByStatus: [String: UInt64]
    let slowCallThresholdMilliseconds: UInt64
    let methods: [MethodJSON]
    /// True when the server gave its activity to its users only and the caller is none.
    let statisticsWithheld: Bool
    /// Absent from a server without `customer.v1.ServerStatusService`.
    let store: StoreJSON?

    init(_ info: ServerInfoResponse, store: StoreStatusResponse?) {
        protocolVersion = info.protocolVersion
        serverName = info.serverName
        serverVersion = info.serverVersion
        uptimeMilliseconds = info.uptimeMilliseconds
        maxFrameSize = info.maxFrameSize
        maxConcurrentCallsPerConnection = info.maxConcurrentCallsPerConnection
        maxConnections = info.maxConnections
        maxConnectionsPerUser = info.maxConnectionsPerUser
        maxCallsPerUser = info.maxCallsPerUser
        maxInputBytesPerUser = info.maxInputBytesPerUser
        maxQueuedBytesPerUser = info.maxQueuedBytesPerUser
        maxServerStreamsPerUser = info.maxServerStreamsPerUser
        maxUnaryThreadsPerUser = info.maxUnaryThreadsPerUser
        connectionReserve = info.connectionReserve
        connectionReserveUserLimit = info.connectionReserveUserLimit
        maxQueuedBytesPerConnection = info.maxQueuedBytesPerConnection
        maxQueuedBytesPerStream = info.maxQueuedBytesPerStream
        maxBufferedClientStreamBytesPerConnection = info.maxBufferedClientStreamBytesPerConnection
        clientStreamMessageTimeoutMilliseconds = info.clientStreamMessageTimeoutMilliseconds
        shutdownGracePeriodMilliseconds = info.shutdownGracePeriodMilliseconds
        idleTimeoutMilliseconds = info.idleTimeoutMilliseconds
        connectionsCurrent = info.connectionsCurrent
        connectionsTotal = info.connectionsTotal
        callsInFlight = info.callsInFlight
        callsByStatus = Self.byName(info.callsByStatus)
        slowCallThresholdMilliseconds = info.slowCallThresholdMilliseconds
        methods = info.methods.map(MethodJSON.init)
        statisticsWithheld = info.statisticsWithheld
        self.store = store.map(StoreJSON.init)
    }

    static func byName(_ counts: [StatusCount]) -> [String: UInt64] {
        Dictionary(counts.map { ("\($0.code)", $0.count) }, uniquingKeysWith: +)
    }

    struct MethodJSON: Encodable {
        let method: String
        let calls: UInt64
        let errors: UInt64
        let callsByStatus: [String: UInt64]
        let p50Microseconds: UInt64
        let p90Microseconds: UInt64
        let p99Microseconds: UInt64
        let maxMicroseconds: UInt64

        init(_ method: MethodCallStatistics) {
            self.method = method.method
            calls = method.calls
            errors = method.errors
            callsByStatus = ServerInfoJSON.byName(method.callsByStatus)
            p50Microseconds = method.p50Microseconds
            p90Microseconds = method.p90Microseconds
            p99Microseconds = method.p99Microseconds
            maxMicroseconds = method.maxMicroseconds
        }
    }

    struct StoreJSON: Encodable {
        let writerQueueDepth: UInt64
        let writeGroups: UInt64
        let writes: UInt64
        let largestWriteGroup: UInt64
        let databaseBytes: UInt64
        let walBytes: UInt64
        let checkpoints: UInt64
        let lastCheckpointAt: Date?
        let lastCheckpointError: String?
        let maxImportBytes: UInt64
        let importFreeSpaceReserveBytes: UInt64
        let maxUploadBytes: UInt64
        let maxStreamIDBytesPerUser: UInt64
        let maxStreamIDFiles: UInt64
        let streamIDFileReserve: UInt64
        let streamIDFileReserveUserLimit: UInt64

        init(_ store: StoreStatusResponse) {
            writerQueueDepth = store.writerQueueDepth
            writeGroups = store.writeGroups
            writes = store.writes
            largestWriteGroup = store.largestWriteGroup
            databaseBytes = store.databaseBytes
            walBytes = store.walBytes
            checkpoints = store.checkpoints
            lastCheckpointAt = store.lastCheckpointAt
            lastCheckpointError = store.lastCheckpointError
            maxImportBytes = store.maxImportBytes
            importFreeSpaceReserveBytes = store.importFreeSpaceReserveBytes
            maxUploadBytes = store.maxUploadBytes
            maxStreamIDBytesPerUser = store.maxStreamIDBytesPerUser
            maxStreamIDFiles = store.maxStreamIDFiles
            streamIDFileReserve = store.streamIDFileReserve
            streamIDFileReserveUserLimit = store.streamIDFileReserveUserLimit
        }
    }
}

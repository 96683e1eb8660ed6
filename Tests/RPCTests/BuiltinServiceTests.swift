import BinaryCoding
import Glibc
@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Testing

@Suite struct BuiltinServiceTests {
    @Test func healthReportsOverallAndPerServiceStatus() async throws {
        try await withTestServer { server, channel in
            func check(_ service: String) async throws -> ServingStatus {
                try await channel.unary(RPCHealth.Check.descriptor, HealthCheckRequest(service: service),
                                        as: HealthCheckResponse.self).status
            }
            let overall = try await check("")
            let test = try await check(TestService.service)
            let unknown = try await check("no.such.Service")
            #expect([overall, test, unknown] == [.serving, .serving, .serviceUnknown])
            server.server.health.setStatus(.notServing, forService: TestService.service)
            let after = try await check(TestService.service)
            #expect(after == .notServing)
        }
    }

    @Test func serverInfoReportsIdentityLimitsAndCounters() async throws {
        try await withTestServer(configure: {
            $0.maxConnections = 77
            $0.maxConnectionsPerUser = 7
            $0.maxCallsPerUser = 99
            $0.maxInputBytesPerUser = 12_345_678
            $0.maxQueuedBytesPerUser = 3_456_789
            $0.maxServerStreamsPerUser = 77
            $0.maxUnaryThreadsPerUser = 78
            $0.connectionReserve = 100
            $0.connectionReserveUserLimit = 3
            $0.clientStreamMessageTimeout = .seconds(7)
        }) { _, channel in
            _ = await rpcError { _ = try await channel.unary(TestService.fail, EchoRequest(text: ""), as: EchoResponse.self) }
            let info = try await channel.unary(RPCServerInfo.GetServerInfo.descriptor, ServerInfoRequest(), as: ServerInfoResponse.self)
            #expect(info.protocolVersion == 1)
            #expect(info.serverName == "test-server")
            #expect(info.serverVersion == "1.2.3")
            #expect(info.maxFrameSize == 4 << 20)
            #expect(info.maxConnections == 77)
            #expect(info.maxConnectionsPerUser == 7)
            #expect(info.maxCallsPerUser == 99)
            #expect(info.maxInputBytesPerUser == 12_345_678)
            #expect(info.maxQueuedBytesPerUser == 3_456_789)
            #expect(info.maxServerStreamsPerUser == 77)
            #expect(info.maxUnaryThreadsPerUser == 78)
            #expect(info.connectionReserve == 77, "as applied: never more than the connections served")
            #expect(info.connectionReserveUserLimit == 3)
            #expect(info.clientStreamMessageTimeoutMilliseconds == 7_000)
            #expect(info.maxQueuedBytesPerConnection == 1 << 20)
            #expect(info.connectionsCurrent == 1)
            #expect(info.connectionsTotal == 1)
            #expect(info.calls(withStatus: .internalError) == 1)
        }
    }

    @Test func reflectionListsEveryServiceWithMethodKinds() async throws {
        try await withTestServer { _, channel in
            let list = try await channel.unary(RPCReflection.ListServices.descriptor, ListServicesRequest(), as: ListServicesResponse.self)
            let names = list.services.map(\.name)
            #expect(names == names.sorted())
            #expect(Set(names) == [RPCHealth.serviceName, RPCServerInfo.serviceName, RPCReflection.serviceName, TestService.service])
            let test = try #require(list.services.first { $0.name == TestService.service })
            #expect(test.methods.contains(MethodDescription(name: "Count", kind: .serverStreaming)))
            #expect(test.methods.contains(MethodDescription(name: "Sum", kind: .clientStreaming)))
            #expect(test.methods.contains(MethodDescription(name: "Echo", kind: .unary)))
        }
    }

    @Test func describeServicesGivesEachMethodsMessagesFieldByField() async throws {
        try await withTestServer { _, channel in
            let description = try await channel.unary(
                RPCReflection.DescribeServices.descriptor, DescribeServicesRequest(services: [TestService.service]),
                as: DescribeServicesResponse.self)
            #expect(description.services.map(\.name) == [TestService.service])
            let methods = try #require(description.services.first).methods
            let sum = try #require(methods.first { $0.name == "Sum" })
            #expect(sum == MethodSchema(name: "Sum", kind: .clientStreaming, request: "Number", response: "Number",
                                        requirement: nil, summary: nil))
            #expect(description.schema.message(named: "EchoRequest")?.fields == [
                FieldSchema(number: 1, name: "text", label: .singular, type: "string", wireType: 2),
                FieldSchema(number: 2, name: "padding", label: .repeated, type: "uint8", wireType: 0),
            ])
            #expect(description.schema.message(named: "PeerResponse")?.fields.map(\.type) == ["uint32", "uint32", "sint32"])
            let health = try await channel.unary(
                RPCReflection.DescribeServices.descriptor, DescribeServicesRequest(services: [RPCHealth.serviceName]),
                as: DescribeServicesResponse.self)
            #expect(health.schema.message(named: "HealthCheckResponse")?.fields
                == [FieldSchema(number: 1, name: "status", label: .optional, type: "ServingStatus", wireType: 0)])
            #expect(health.schema.enumeration(named: "ServingStatus")?.values.map(\.number) == [0, 1, 2, 3])
            // Only what the services asked for reach: none of the built-in services' messages.
            #expect(description.schema.message(named: "HealthCheckRequest") == nil)
        }
    }

    @Test func handlersSeeThePeerCredentialsOfTheCaller() async throws {
        try await withTestServer { _, channel in
            let peer = try await channel.unary(TestService.whoAmI, EchoRequest(text: ""), as: PeerResponse.self)
            #expect(peer == PeerResponse(uid: getuid(), gid: getgid(), pid: getpid()))
        }
    }
}

import CommandLineKit
import CustomerClient
import Foundation

/// `customerctl call SERVICE/METHOD --data JSON`: any unary method, through the server's
/// reflection service (like grpcurl), for what the CLI has no command for.
enum CallCommand {
    static let method = Argument("SERVICE/METHOD", help: "The method's full name, e.g. customer.v1.CustomerService/GetCustomer.")
    static let data = Option.value(
        "data", "JSON", short: "d", help: """
            The request as a JSON object with the message's field names (see `customerctl services`
            and Protocol/CUSTOMER-API.md); `-` reads it from stdin. Default: {} (every field absent).
            Enums by case name, decimals as strings ("1234.50"), times in ISO 8601 with a zone.
            """)

    static let spec = CommandSpec(
        ["call"], summary: "Call any method by name with a JSON request (through the server's reflection).",
        arguments: [method], options: [data],
        notes: """
            The answer is printed as JSON (whatever --output says): one object, the response message,
            with enums as case names, decimals as strings, times in ISO 8601 UTC. A request the
            message cannot take is refused before it is sent (exit 64), naming the field.
            """,
        examples: [
            "customerctl call customer.v1.CustomerService/GetCustomer --data '{\"id\": 1}'",
            "echo '{\"query\": {\"status\": \"all\"}}' | customerctl call customer.v1.CustomerService/ListCustomers -d -",
        ]
    ) { invocation in
        let name = try invocation.text(method)
        let request = try requestValue(invocation.value(data) ?? "{}")
        let answer: DynamicValue
        do {
            answer = try await invocation.client.server.call(name, request, options: invocation.callOptions)
        } catch let error as DynamicMessageError {
            throw UsageError("--data: \(error)")
        }
        try Output(format: .json).printJSON(answer)
    }

    private static func requestValue(_ text: String) throws -> DynamicValue {
        let bytes = text == "-" ? FileHandle.standardInput.readDataToEndOfFile() : Data(text.utf8)
        do {
            return try JSONDecoder().decode(DynamicValue.self, from: bytes)
        } catch {
            throw UsageError("--data is not JSON: \(Self.reason(error))")
        }
    }

    /// JSONDecoder's own words, without the coding path noise.
    private static func reason(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String ?? context.debugDescription
        }
        return "\(error)"
    }
}

import CommandLineKit
import CustomerClient
import Foundation

/// `customerctl call SERVICE/METHOD --data JSON`: any method, unary or streaming, through the
/// server's reflection service (like grpcurl), for what the CLI has no command for.
enum CallCommand {
    static let method = Argument("SERVICE/METHOD", help: "The method's full name, e.g. customer.v1.CustomerService/GetCustomer.")
    static let data = Option.value(
        "data", "JSON", short: "d", help: """
            The request as a JSON object with the message's field names (see `customerctl services`
            and Protocol/CUSTOMER-API.md); `-` reads it from stdin (at most 256 MiB: larger imports
            go through `customers import`). Default: {} (every field absent).
            Enums by case name, decimals as strings ("1234.50") or numbers (1234.50), both read
            exactly from their digits: a number no field can hold exactly (more than 38 digits,
            1e-400) is refused naming its field, never rounded. Times in ISO 8601 with a zone.
            A client-streaming method takes one JSON object per line (JSON Lines), from stdin
            unless --data gives them.
            """)

    static let spec = CommandSpec(
        ["call"], summary: "Call any method by name with a JSON request (through the server's reflection).",
        arguments: [method], options: [data],
        notes: """
            The answer is printed as JSON: one object, the response message, with enums as case
            names, decimals as strings, times in ISO 8601 UTC. A server-streaming method's answers
            are printed as they come, one compact object per line (JSON Lines), or as one array
            with --output json. A request the message cannot take is refused before anything is
            sent (exit 64), naming the field (and, for a stream, the line).
            """,
        examples: [
            "customerctl call customer.v1.CustomerService/GetCustomer --data '{\"id\": 1}'",
            "echo '{\"query\": {\"status\": \"all\"}}' | customerctl call customer.v1.CustomerService/ListCustomers -d -",
            "customerctl call customer.v1.CustomerService/StreamCustomers -d '{\"query\": {}}' -o json",
            "customerctl call customer.v1.CustomerService/ImportCustomers < import-requests.jsonl",
        ]
    ) { invocation in
        let name = try invocation.text(method)
        let server = invocation.client.server
        let target = try await server.method(named: name, options: invocation.callOptions)
        let output = Output(format: .json)
        do {
            switch target.kind {
            case .unary:
                let request = try requestValue(try await text(of: invocation.value(data) ?? "{}"))
                try output.printJSON(try await server.call(target, request, options: invocation.callOptions))
            case .serverStreaming:
                let request = try requestValue(try await text(of: invocation.value(data) ?? "{}"))
                if invocation.output == .json {
                    var answers: [DynamicValue] = []
                    try await server.serverStream(target, request, options: invocation.callOptions) { answers.append($0) }
                    try output.printJSON(answers)
                } else {
                    try await server.serverStream(target, request, options: invocation.callOptions) { try output.jsonLine($0) }
                }
            case .clientStreaming:
                let payloads = try requestLines(try await text(of: invocation.value(data) ?? "-"), for: target)
                try output.printJSON(try await server.clientStream(target, payloads: payloads, options: invocation.callOptions))
            case .bidirectionalStreaming:
                throw RPCError(.unimplemented, "\(name) streams both ways, which customerctl call cannot do")
            }
        } catch let error as DynamicMessageError {
            throw UsageError("--data: \(error)")
        }
    }

    /// The most of standard input `call` reads: every request is encoded before the first is sent,
    /// so stdin is held whole (`< /dev/zero` took memory until the system killed customerctl).
    /// Larger imports go through `customerctl customers import`, which streams its file.
    static let standardInputLimit = 256 << 20

    /// `--data`'s text, or stdin's for `-`, read on a thread of its own: stdin may wait for a
    /// person or a pipe for as long as they like, and the cooperative pool must not wait with it.
    /// read(2), not FileHandle's `readDataToEndOfFile`, which trapped on a failed read (`< /`:
    /// SIGILL; redteam31).
    private static func text(of data: String) async throws -> Data {
        guard data == "-" else { return Data(data.utf8) }
        return Data(try await runOnThread {
            try DescriptorInput.readAll(from: STDIN_FILENO, named: "standard input", limit: standardInputLimit)
        })
    }

    /// Every number read from its own digits (`DynamicValue(json:)`): JSONDecoder rounded them.
    private static func requestValue(_ bytes: Data) throws -> DynamicValue {
        do {
            return try DynamicValue(json: bytes)
        } catch {
            throw refusal(error)
        }
    }

    /// One request per non-blank line, each encoded before anything is sent; a line that is not
    /// JSON or that the message cannot take is refused by its number.
    private static func requestLines(_ bytes: Data, for target: DynamicMethod) throws -> [[UInt8]] {
        var requests: [[UInt8]] = []
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { ![UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains($0) }) else {
                continue
            }
            let request: DynamicValue
            do {
                request = try DynamicValue(json: line)
            } catch {
                throw refusal(error, line: index + 1)
            }
            do {
                requests.append(try target.encodeRequest(request))
            } catch {
                throw UsageError("--data: line \(index + 1): \(error)")
            }
        }
        return requests
    }

    /// `--data`'s JSON refused: where the text is not JSON, or the member whose number cannot be
    /// read exactly; `line` is a client stream's request line (its column is then the one that counts).
    private static func refusal(_ error: JSONTextError, line: Int? = nil) -> UsageError {
        switch (error.fault, line) {
        case (.syntax(let reason), let line?): UsageError("--data: line \(line) is not JSON: column \(error.column): \(reason)")
        case (.syntax, nil): UsageError("--data is \(error)")
        case (.inexactNumber, let line?): UsageError("--data: line \(line): \(error)")
        case (.inexactNumber, nil): UsageError("--data: \(error)")
        }
    }
}

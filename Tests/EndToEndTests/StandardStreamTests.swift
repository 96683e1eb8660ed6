import CustomerClient
import Foundation
import TestSupport
import Testing

/// customerctl's and customerd's standard streams as a shell, a cron line or a careless operator
/// leaves them (redteam30): closed, on a full disk, or echoing what was typed with its control
/// characters. Each must end in an answer or an error with its cause, never a trap, never output
/// lost behind exit 0, never a raw escape sequence on the operator's terminal.
@Suite struct StandardStreamTests {
    /// customerctl run by /bin/sh with `redirections` applied (`2>&-`, `>/dev/full`), as a shell
    /// line would start it; `--timeout` as `runProduct` gives it.
    func ctl(_ server: TestServer, redirections: String, _ arguments: [String]) async throws -> ProcessResult {
        let customerctl = try Products.url(of: "customerctl").path
        let timeout = String(max(1, Int(testWaitLimit * 0.8)))
        return try await runExecutable("/bin/sh", ["-c", "exec \"$0\" \"$@\" \(redirections)", customerctl,
                                                   "--socket", server.socketPath, "--timeout", timeout] + arguments)
    }

    /// Before: with descriptor 2 closed, the first line customerctl wrote to standard error (the
    /// `next page:` of a listing, any error) made Foundation's FileHandle.write trap on the
    /// descriptor libdispatch had taken: exit 132 and no answer. Now 2 is /dev/null first.
    @Test func customerctlWithStandardErrorClosedAnswersAndExitsWithItsCode() async throws {
        try await withServer { server, client in
            for name in ["Closed Stream Oy", "Second Stream Oy"] {
                _ = try await client.customers.create(CustomerFields(name: name, country: "FI"))
            }
            let listed = try await ctl(server, redirections: "2>&-", ["customers", "list", "--limit", "1"])
            #expect(listed.status == 0, "\(listed.stdout)")
            #expect(listed.stdout.contains("Closed Stream Oy"))

            let directory = try TestServer.makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let target = directory.appendingPathComponent("out.bin").path
            let missing = try await ctl(server, redirections: "2>&-", ["files", "download", "999999", "--to", target])
            #expect(missing.status == 10 + Int32(StatusCode.notFound.rawValue), "\(missing.stdout)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }

    /// Before: `customers export > FILE` on a full disk trapped in FileHandle.write (exit 132 and a
    /// crash report), and a table printed to it was lost while customerctl exited 0. Now each is
    /// exit 1 naming the cause.
    @Test func customerctlWritingToAFullDiskSaysSoAndFails() async throws {
        try await withServer { server, client in
            let owner = try await client.customers.create(CustomerFields(name: "Full Disk Oy", country: "FI"))
            let file = try await client.files.upload(customerID: owner.id, name: "a.bin", data: Data(repeating: 7, count: 100_000))
            let commands: [[String]] = [
                ["customers", "export"], ["customers", "export", "--format", "csv"], ["customers", "list"],
                ["customers", "list", "-o", "json"], ["files", "download", String(file.id)],
            ]
            for command in commands {
                let result = try await ctl(server, redirections: ">/dev/full", command)
                #expect(result.status == 1, "\(command): \(result.stderr)")
                #expect(result.stderr == "Error: cannot write to standard output: No space left on device\n", "\(command)")
            }
        }
    }

    /// Before: `customerctl call … -d - < /` trapped in FileHandle's readDataToEndOfFile (EISDIR;
    /// SIGILL, exit 132, a crash report), and `< /dev/zero` read until memory ran out. Now a failed
    /// read is exit 1 naming its cause, more than 256 MiB is refused, and nothing is sent: the
    /// import that read a directory created no customer (redteam31).
    @Test func customerctlCallReadingAStandardInputItCannotUseSaysSoAndSendsNothing() async throws {
        try await withServer { server, client in
            let get = ["call", "customer.v1.CustomerService/GetCustomer", "-d", "-"]
            let import_ = ["call", "customer.v1.CustomerService/ImportCustomers"]
            for command in [get, import_] {
                let result = try await ctl(server, redirections: "< /", command)
                #expect(result.status == 1, "\(command): \(result.stderr)")
                #expect(result.stderr == "Error: cannot read standard input: Is a directory\n", "\(command)")
            }
            let endless = try await ctl(server, redirections: "< /dev/zero", get)
            #expect(endless.status == 1, "\(endless.stderr)")
            #expect(endless.stderr == "Error: standard input holds more than 256 MiB, the most read\n")
            #expect(try await client.customers.list().customers.isEmpty)
        }
    }

    /// Before: customerd's usage errors printed the operator's argument as typed, an ESC starting
    /// a terminal command and a CR or line break rewriting the line; customerctl escaped each line
    /// but kept a typed line break. Now both write them as the log does (`TerminalText`).
    @Test func usageErrorsEchoTypedControlCharactersEscaped() async throws {
        let typed = "\u{1B}[31mred\r\nx"
        let cases: [(program: String, arguments: [String], shown: String)] = [
            ("customerd", ["--log-level", typed], "got '\\u{1B}[31mred\\r\\nx'"),
            ("customerd", ["--bogus" + typed], "unknown option '--bogus\\u{1B}[31mred\\r\\nx'"),
            ("customerd", ["--slow-call-threshold", typed], "got '\\u{1B}[31mred\\r\\nx'"),
            ("customerctl", ["cust\nomers"], "unknown command 'cust\\nomers'\nDid you mean 'customers'?"),
            ("customer-bench", ["run", "--bogus" + typed], "unknown option '--bogus\\u{1B}[31mred\\r\\nx'"),
        ]
        for (program, arguments, shown) in cases {
            let result = try await runProduct(program, arguments)
            #expect(result.status == 64, "\(program) \(arguments)")
            #expect(result.stderr.contains(shown), "\(program): \(result.stderr)")
            #expect(!result.stderr.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\r" }, "\(program) \(arguments)")
        }
    }

    /// docs/SERVER.md says what happens to log lines nobody reads; `customerd --help` says it too.
    @Test func customerdHelpSaysUnreadLogLinesWaitInABoundedQueue() async throws {
        let help = try await runProduct("customerd", ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("up to 1 MiB of lines waits in its queue"))
        #expect(help.stdout.contains("dropped and counted"))
    }
}

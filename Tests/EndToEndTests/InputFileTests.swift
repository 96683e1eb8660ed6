import CustomerClient
import Foundation
import Glibc
import TestSupport
import Testing

/// Files an administrator names to customerctl that are not plain files (redteam33): a pipe, a
/// FIFO, a device, a file that is not there. Before: `customers import` read no pipe at all
/// ("cannot read '/dev/stdin'", exit 64, the same words for a missing file, no cause);
/// `files upload` of a pipe failed `CANCELLED` with a Foundation error dump (exit 11), of a FIFO
/// without a second writer and of /dev/zero it never ended.
@Suite struct InputFileTests {
    /// customerctl with `arguments`, standard input fed by `input` through a pipe when given;
    /// bounded by the test's wait limit, as every process a test starts.
    func ctl(_ server: TestServer, input: String? = nil, _ arguments: [String]) async throws -> ProcessResult {
        let customerctl = try Products.url(of: "customerctl").path
        let timeout = String(max(1, Int(testWaitLimit * 0.8)))
        let feed = input.map { "printf '\($0)' | " } ?? ""
        return try await runExecutable("/bin/sh", ["-c", feed + "exec \"$0\" \"$@\" " + (input == nil ? "< /dev/null" : ""),
                                                   customerctl, "--socket", server.socketPath, "--timeout", timeout] + arguments)
    }

    @Test func customersImportReadsAPipeAndSaysWhyItCannotReadAFile() async throws {
        try await withServer { server, client in
            let piped = try await ctl(server, input: "name\\nPiped Oy\\n", ["customers", "import", "/dev/stdin"])
            #expect(piped.status == 0, "\(piped.stderr)")
            #expect(piped.stdout.contains("Imported 1 customer."), "\(piped.stdout)")

            // A FIFO whose writer comes after customerctl opened it (or before: either way it is read).
            let directory = try TestServer.makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let fifo = directory.appendingPathComponent("customers.csv").path
            #expect(mkfifo(fifo, 0o600) == 0)
            let customerctl = try Products.url(of: "customerctl").path
            let fed = try await runExecutable("/bin/sh", [
                "-c", "(sleep 1; printf 'name\\nFIFO Oy\\n' > \"$0\") & \"$1\" --socket \"$2\" customers import \"$0\"; status=$?; wait; exit $status",
                fifo, customerctl, server.socketPath,
            ])
            #expect(fed.status == 0, "\(fed.stderr)")
            #expect(fed.stdout.contains("Imported 1 customer."), "\(fed.stdout)")

            let missing = try await ctl(server, ["customers", "import", "/nonexistent/customers.csv"])
            #expect(missing.status == 1)
            #expect(missing.stderr == "Error: cannot read /nonexistent/customers.csv: No such file or directory\n")
            let device = try await ctl(server, ["customers", "import", "/dev/zero"])
            #expect(device.status == 1)
            #expect(device.stderr == "Error: /dev/zero is a character device, not a file or a pipe\n")
            let folder = try await ctl(server, ["customers", "import", "/"])
            #expect(folder.status == 1)
            #expect(folder.stderr == "Error: / is a directory, not a file or a pipe\n")
            #expect(try await client.customers.list().customers.map(\.name).sorted() == ["FIFO Oy", "Piped Oy"])
        }
    }

    @Test func filesUploadRefusesWhatItCannotReadTwiceAndSendsNothing() async throws {
        try await withServer { server, client in
            let customer = try await client.customers.create(CustomerFields(name: "Uploads Oy"))
            let directory = try TestServer.makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let fifo = directory.appendingPathComponent("fifo").path
            #expect(mkfifo(fifo, 0o600) == 0)
            let twice = "not a regular file: an upload reads its file twice (to hash it, then to send it); copy it to a file first"
            let cases: [(input: String?, path: String, kind: String)] = [
                ("hello", "/dev/stdin", "a pipe"), (nil, fifo, "a pipe"), (nil, "/dev/zero", "a character device"),
            ]
            for (input, path, kind) in cases {
                let refused = try await ctl(server, input: input, ["files", "upload", String(customer.id), path, "--name", "x.txt"])
                #expect(refused.status == 1, "\(path): \(refused.stderr)")
                #expect(refused.stderr == "Error: \(path) is \(kind), \(twice)\n", "\(path)")
            }
            #expect(try await client.files.list(customerID: customer.id).files.isEmpty)

            let file = directory.appendingPathComponent("notes.txt")
            try Data("kept".utf8).write(to: file)
            let uploaded = try await ctl(server, ["files", "upload", String(customer.id), file.path])
            #expect(uploaded.status == 0, "\(uploaded.stderr)")
            #expect(try await client.files.list(customerID: customer.id).files.map(\.size) == [4])
        }
    }
}

import CustomerClient
import Foundation
import TestSupport
import Testing

/// `customerctl customers import` reads its file as it sends it (redteam34): before, the whole file
/// was read and parsed in memory before the first row went, so a pipe that never ends (`cat
/// /dev/zero | customerctl customers import /dev/stdin`), or a file larger than memory, grew
/// customerctl until it was killed. Now it holds a batch or two and the row being read, a row is at
/// most 1 MiB, and what an import's mode promises holds whatever row the file goes wrong on.
@Suite struct ImportStreamingTests {
    /// customerctl importing what `feed` (a shell command) writes to its standard input, with
    /// `options`, run by a Python parent that reports the largest resident size of its children
    /// (`ru_maxrss`, KiB: customerctl, the feed's processes are small) as the last line of stdout.
    func importPipe(_ server: TestServer, _ feed: String, _ options: [String] = []) async throws -> (ProcessResult, peakKiB: Int) {
        let customerctl = try Products.url(of: "customerctl").path
        let timeout = String(max(1, Int(testWaitLimit * 0.8)))
        let parent = """
            import resource, subprocess, sys
            status = subprocess.run(["/bin/sh", "-c", sys.argv[1]] + sys.argv[2:]).returncode
            sys.stdout.flush()
            print("peak", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            sys.exit(status)
            """
        let run = try await runExecutable("/usr/bin/env", [
            "python3", "-c", parent, "{ \(feed); } | exec \"$0\" \"$@\"",
            customerctl, "--socket", server.socketPath, "--timeout", timeout, "customers", "import", "/dev/stdin",
        ] + options)
        var lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        let peak = lines.last.flatMap { $0.hasPrefix("peak ") ? Int($0.dropFirst(5)) : nil } ?? .max
        let stdout = lines.dropLast().map { $0 + "\n" }.joined()
        return (ProcessResult(status: run.status, stdout: stdout, stderr: run.stderr), peak)
    }

    func count(_ client: CustomerClient) async throws -> Int {
        var total = 0
        var token: String?
        repeat {
            let page = try await client.customers.list(CustomerQuery(status: .all), limit: 1000, pageToken: token)
            total += page.customers.count
            token = page.nextPageToken
        } while token != nil
        return total
    }

    /// 300 MB of zero bytes stand for the pipe that never ends: before, customerctl held all of them
    /// (and more) before it said anything; it could not be tried endless without filling the machine.
    @Test func aLineThatDoesNotEndOrAQuoteNeverClosedEndsWithABoundedError() async throws {
        try await withServer { server, client in
            let zeros = "head -c 300000000 /dev/zero"
            let endless = try await importPipe(server, zeros)
            #expect(endless.0.status == 1, "\(endless.0.stderr.prefix(300))")
            #expect(endless.0.stderr == "Error: line 1: the row is longer than 1 MiB, the most a row may take "
                + "(a line that does not end, or a quote that is not closed: is it a CSV file?)\n",
                "\(endless.0.stderr.prefix(300))")
            #expect(endless.peakKiB < 200 * 1024, "customerctl's peak resident size: \(endless.peakKiB) KiB")

            let quoted = try await importPipe(server, "printf 'name\\nAcme Oy\\n\"'; \(zeros)")
            #expect(quoted.0.status == 1)
            #expect(quoted.0.stderr.hasPrefix("Error: line 3: the row is longer than 1 MiB"), "\(quoted.0.stderr.prefix(300))")
            #expect(quoted.peakKiB < 200 * 1024, "customerctl's peak resident size: \(quoted.peakKiB) KiB")
            #expect(try await count(client) == 0)
        }
    }

    /// Rows are sent as they are read, so a row refused at line 5 002 comes after 5 batches went:
    /// without --continue-on-error the stream is cancelled before it ends and the server, which
    /// writes only once an import's stream has ended, writes nothing (as when nothing was sent).
    @Test func aRowRefusedAfterRowsWereSentLeavesWhatTheModePromises() async throws {
        try await withServer { server, client in
            let rows = "echo number,name; seq 1 5000 | sed 's/^/,Row /'"
            let badNumber = "\(rows); echo '12x,Bad'; seq 1 5000 | sed 's/^/,After /'"
            let refused = try await importPipe(server, badNumber)
            #expect(refused.0.status == 13, "\(refused.0.stderr)")
            #expect(refused.0.stderr == "line 5002: number: must be a whole number\n"
                + "Error: INVALID_ARGUMENT: 1 problems in the file; nothing was imported\n")
            #expect(try await count(client) == 0)

            let unclosed = try await importPipe(server, "\(rows); printf ',\"open\\n'")
            #expect(unclosed.0.status == 1, "\(unclosed.0.stderr)")
            #expect(unclosed.0.stderr == "Error: line 5002: a quoted field is not closed before the end of the file\n")
            #expect(try await count(client) == 0)

            let dryRun = try await importPipe(server, badNumber, ["--dry-run"])
            #expect(dryRun.0.stdout == "Dry run: 10001 rows checked; 1 rows rejected:\nline 5002: number: must be a whole number\n"
                + "Nothing was written.\n", "\(dryRun.0.stderr)")
            #expect(try await count(client) == 0)

            let kept = try await importPipe(server, badNumber, ["--continue-on-error"])
            #expect(kept.0.status == 13, "\(kept.0.stderr)")
            #expect(kept.0.stdout == "Imported 10000 customers; 1 rows rejected:\nline 5002: number: must be a whole number\n")
            #expect(try await count(client) == 10_000)
        }
    }

    /// A pipe of 30 000 rows imports whole, in one transaction, as a file does.
    @Test func aLargePipeImports() async throws {
        try await withServer { server, client in
            let run = try await importPipe(server, "echo name,country; seq 1 30000 | sed 's/^/Piped /; s/$/,FI/'")
            #expect(run.0.status == 0, "\(run.0.stderr)")
            #expect(run.0.stdout == "Imported 30000 customers.\n")
            #expect(try await count(client) == 30_000)
            #expect(run.peakKiB < 200 * 1024, "customerctl's peak resident size: \(run.peakKiB) KiB")
        }
    }
}

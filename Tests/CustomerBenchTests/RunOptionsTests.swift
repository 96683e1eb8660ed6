import CommandLineKit
import Testing
@testable import customer_bench

@Suite struct RunOptionsTests {
    @Test func defaultsRunEveryScenarioOnOneCaller() throws {
        let options = try RunOptions.parse([])
        #expect(options.scenarios == RunOptions.scenarioNames)
        #expect(options.customers == 100_000)
        #expect(options.callers == 1)
        #expect(options.socketPath == nil)
        #expect(!options.json)
    }

    @Test func scenariosAndOptionsAreRead() throws {
        let options = try RunOptions.parse(["get", "create", "--connections", "4", "--in-flight", "16",
                                            "--customers", "20_000", "--calls", "5000", "--output", "json",
                                            "--durability", "full", "--warmup", "0"])
        #expect(options.scenarios == ["get", "create"])
        #expect(options.connections == 4)
        #expect(options.inFlight == 16)
        #expect(options.callers == 64)
        #expect(options.customers == 20_000)
        #expect(options.calls == 5000)
        #expect(options.json)
        #expect(options.durability == "full")
        #expect(options.warmUpSeconds == 0)
    }

    /// Every call has a deadline (redteam32b): 30 s unless `--timeout` says otherwise, none with 0.
    @Test func eachCallHasTheDeadlineOfTimeout() throws {
        #expect(try RunOptions.parse([]).callOptions.timeout == .seconds(30))
        #expect(try RunOptions.parse(["--timeout", "2.5"]).callOptions.timeout == .milliseconds(2500))
        // Under a millisecond it stays what was asked (it was truncated to 0 ms: every call failed at once).
        #expect(try RunOptions.parse(["--timeout", "0.0005"]).callOptions.timeout == .microseconds(500))
        #expect(try RunOptions.parse(["--timeout", "0"]).callOptions.timeout == nil)
    }

    /// The wait for the customerd `run` and `import` start (create34): 30 s unless
    /// `--start-timeout` says otherwise, so a server under valgrind on a loaded machine can start.
    @Test func theWaitForTheStartedServerIsStartTimeout() throws {
        #expect(try RunOptions.parse([]).startTimeoutSeconds == 30)
        #expect(try RunOptions.parse(["--start-timeout", "600"]).startTimeoutSeconds == 600)
        #expect(try ImportCommand.parse([]).startTimeoutSeconds == 30)
        #expect(try ImportCommand.parse(["--rows", "10", "--start-timeout", "120.5"]).startTimeoutSeconds == 120.5)
        #expect(try WatchCommand.parse(["--start-timeout", "90"]).startTimeoutSeconds == 90)
        guard case .help(let text) = try BenchCommand.parse(["help", "run"]) else {
            Issue.record("'help run' did not give help")
            return
        }
        #expect(text.contains("--start-timeout <seconds>"))
    }

    @Test(arguments: [["--start-timeout", "0"], ["--start-timeout", "-5"], ["--start-timeout", "soon"],
                      ["--start-timeout", "3601"]])
    func aStartTimeoutThatIsNotAPositiveNumberOfSecondsIsRefused(arguments: [String]) {
        let message = "'--start-timeout' needs a positive number of seconds, not '\(arguments[1])'"
        for parse in [{ _ = try RunOptions.parse(arguments) }, { _ = try ImportCommand.parse(arguments) }] as [() throws -> Void] {
            do {
                try parse()
                Issue.record("\(arguments) was accepted")
            } catch let error as UsageError {
                #expect(error.message == message)
            } catch {
                Issue.record("\(arguments): \(error)")
            }
        }
    }

    @Test(arguments: [
        (["--connections", "0"], "'--connections' needs a number from 1 to 1024, not '0'"),
        (["--duration", "-1"], "'--duration' needs a positive number of seconds, not '-1'"),
        (["--output", "xml"], "--output takes 'table' or 'json', got 'xml'"),
        (["--durability", "off"], "--durability takes 'normal' or 'full', got 'off'"),
        (["fetch"], "unknown scenario 'fetch' (one of: ping, get, card, list, create, update, mixed, list-first, list-deep, create-keyed, update-keyed, get-sync, get-inline)"),
        (["--verbose"], "unknown option '--verbose'"),
        (["--socket"], "option '--socket' needs a value"),
        (["--socket", ""], "--socket needs a path, got an empty one"),
        (["--timeout", "-1"], "'--timeout' needs a non-negative number of seconds, not '-1'"),
        (["--connections", "1024", "--in-flight", "8"], "--connections × --in-flight is at most 4096, not 8192"),
    ])
    func wrongCommandLinesAreRefusedWithTheReason(arguments: [String], message: String) {
        #expect(throws: UsageError.self) { try RunOptions.parse(arguments) }
        do {
            _ = try RunOptions.parse(arguments)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func theFixedDepthListScenariosRunOnlyWhenNamed() throws {
        #expect(!RunOptions.scenarioNames.contains("list-deep"))
        #expect(try RunOptions.parse(["list-first", "list-deep"]).scenarios == ["list-first", "list-deep"])
    }

    @Test func getOnSeveralConnectionsIsMeasuredBesideItsInlineAndBlockingShapes() throws {
        #expect(try RunOptions.parse(["get", "--connections", "16"]).scenarios == ["get", "get-inline", "get-sync"])
        #expect(try RunOptions.parse(["ping", "get", "card", "--connections", "2"]).scenarios
                    == ["ping", "get", "get-inline", "get-sync", "card"])
        #expect(try RunOptions.parse(["get-sync", "get", "--connections", "16"]).scenarios == ["get-sync", "get", "get-inline"])
        // One connection, pipelined calls, and counted runs (--calls) measure what they name.
        #expect(try RunOptions.parse(["get"]).scenarios == ["get"])
        #expect(try RunOptions.parse(["get", "--connections", "16", "--in-flight", "4"]).scenarios == ["get"])
        #expect(try RunOptions.parse(["get", "--connections", "16", "--calls", "3000"]).scenarios == ["get"])
    }

    @Test func benchCommandDispatchesRunAndItsHelp() throws {
        guard case .run(let options) = try BenchCommand.parse(["run", "ping"]) else {
            Issue.record("'run ping' did not parse as run")
            return
        }
        #expect(options.scenarios == ["ping"])
        guard case .help(let text) = try BenchCommand.parse(["help", "run"]) else {
            Issue.record("'help run' did not give help")
            return
        }
        #expect(text.contains("customer-bench run"))
    }
}

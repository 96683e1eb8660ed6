import ServiceLog
import Synchronization
import TestSupport
import Testing

@Suite struct LoggerTests {
    @Test func aLineHasTimestampLevelLabelFieldsAndMessage() throws {
        let lines = LogCapture()
        let logger = Logger(label: "customerd", level: .info, sink: lines.sink)
        logger.info("listening", [("socket", "/run/c.sock"), ("note", "v a l"), ("empty", "")])
        let line = try #require(lines.all.first)
        // 2026-11-29T02:53:06.123Z info customerd: socket=/run/c.sock note="v a l" empty="" listening
        let timestamp = line.prefix(24)
        #expect(timestamp.count == 24)
        #expect(timestamp.hasSuffix("Z"))
        #expect(Array(timestamp)[10] == "T")
        #expect(line.dropFirst(24) == " info customerd: socket=/run/c.sock note=\"v a l\" empty=\"\" listening\n")
    }

    @Test func eventsBelowTheLevelAreDroppedWithoutBuildingTheMessage() {
        let lines = LogCapture()
        let logger = Logger(label: "x", level: .warning, sink: lines.sink)
        let built = Mutex(false)
        func expensive() -> String {
            built.withLock { $0 = true }
            return "expensive"
        }
        logger.debug(expensive())
        logger.info(expensive())
        #expect(lines.all.isEmpty)
        #expect(!built.withLock { $0 })
        logger.error("kept")
        #expect(lines.all.count == 1)
    }

    @Test func newlinesAndQuotesCannotForgeALine() throws {
        let lines = LogCapture()
        let logger = Logger(label: "x", sink: lines.sink)
        logger.warning("two\nlines", [("value", "a\"b\nc")])
        let line = try #require(lines.all.first)
        #expect(line.filter { $0 == "\n" }.count == 1)
        #expect(line.hasSuffix(" warning x: value=\"a\\\"b\\nc\" two\\nlines\n"))
    }

    @Test(arguments: LogLevel.allCases)
    func levelsParseByName(level: LogLevel) {
        #expect(LogLevel(name: level.name) == level)
        #expect(LogLevel(name: level.name.uppercased()) == level)
    }

    @Test func levelsAreOrdered() {
        #expect(LogLevel.allCases == LogLevel.allCases.sorted())
        #expect(LogLevel(name: "loud") == nil)
    }
}

import Foundation
import Testing

/// The README is short and points into docs/: a moved or renamed section must not leave a link
/// that goes nowhere, and the test command the README gives must be the one CI runs.
@Suite struct DocumentationLinkTests {
    static let root = APIDocumentationTests.packageRoot

    /// README.md, every docs/*.md and the Python client's README, relative to the root.
    static func documents() throws -> [String] {
        let docs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        return ["README.md", "Clients/python/README.md"] + docs
    }

    @Test func everyRelativeLinkReachesAFileAndItsHeading() throws {
        let documents = try Self.documents()
        #expect(documents.count > 10)
        var checked = 0
        for document in documents {
            let text = try String(contentsOf: Self.root.appendingPathComponent(document), encoding: .utf8)
            let problems = try MarkdownLinks.problems(in: text, at: document, root: Self.root)
            #expect(problems.isEmpty, "\(document): \(problems.joined(separator: "; "))")
            checked += MarkdownLinks.relativeLinks(in: text).count
        }
        #expect(checked > 40, "only \(checked) relative links found: is the link reader broken?")
    }

    @Test func aMissingFileOrHeadingIsReported() throws {
        let text = """
            [ok](docs/TOUR.md) [ok too](docs/TOUR.md#the-contact-information-tab) [here](#a-heading)
            # A heading
            [gone](docs/NOWHERE.md) [no such](docs/TOUR.md#no-such-heading)
                [in a code block](docs/NOWHERE-EITHER.md)
            `[in code](docs/NOWHERE-EITHER.md)` [web](https://example.com/x.md)
            """
        let problems = try MarkdownLinks.problems(in: text, at: "README.md", root: Self.root)
        #expect(problems == ["docs/NOWHERE.md: no such file", "docs/TOUR.md#no-such-heading: no such heading"])
    }

    @Test func theReadmesTestCommandIsWhatCIRuns() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.components(separatedBy: "\n")
        // The first indented line after the paragraph that starts "Run the tests".
        let start = try #require(lines.firstIndex { $0.hasPrefix("Run the tests") }, "README has no \"Run the tests\"")
        let command = try #require(lines[start...].first { $0.hasPrefix("    ") }).trimmingCharacters(in: .whitespaces)
        #expect(command == "SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=8 swift test --parallel")
        let ci = try String(contentsOf: Self.root.appendingPathComponent(".ci/run"), encoding: .utf8)
        // .ci/run runs it under its watchdog (`python3 .ci/watchdog.py ... -- env COMMAND`: the
        // watchdog starts it without a shell, so `env` sets its variable).
        let runs = ci.components(separatedBy: "\n").contains { line in
            !line.trimmingCharacters(in: .whitespaces).hasPrefix("#")
                && (line == command || line.contains("-- env \(command) ") || line.hasSuffix("-- env \(command)"))
        }
        #expect(runs, ".ci/run does not run `\(command)`")
    }
}

/// Markdown links as GitHub renders them, enough for this repository's documents.
enum MarkdownLinks {
    /// The targets of `[text](target)` outside code blocks and code spans that are not web
    /// addresses.
    static func relativeLinks(in text: String) -> [String] {
        var links: [String] = []
        var inFence = false
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("```") { inFence.toggle(); continue }
            if inFence || line.hasPrefix("    ") || line.hasPrefix("\t") { continue }
            let prose = line.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset.isMultiple(of: 2) }.map(\.element).joined(separator: " ")
            var rest = Substring(prose)
            while let open = rest.range(of: "](") {
                rest = rest[open.upperBound...]
                guard let close = rest.firstIndex(of: ")") else { break }
                let target = String(rest[..<close])
                rest = rest[close...]
                if target.contains("://") || target.hasPrefix("mailto:") { continue }
                links.append(target)
            }
        }
        return links
    }

    /// Each link of `text` (the document at `path` under `root`) whose file or heading is missing.
    static func problems(in text: String, at path: String, root: URL) throws -> [String] {
        let directory = root.appendingPathComponent(path).deletingLastPathComponent()
        var problems: [String] = []
        for link in relativeLinks(in: text) {
            let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let file = parts[0].isEmpty ? root.appendingPathComponent(path) : directory.appendingPathComponent(parts[0])
            guard FileManager.default.fileExists(atPath: file.standardized.path) else {
                problems.append("\(link): no such file")
                continue
            }
            guard parts.count == 2 else { continue }
            let target = parts[0].isEmpty ? text : try String(contentsOf: file, encoding: .utf8)
            if !anchors(in: target).contains(parts[1]) { problems.append("\(link): no such heading") }
        }
        return problems
    }

    /// GitHub's anchors: a heading lower-cased, without punctuation but `-` and `_`, spaces as `-`;
    /// a repeated one gets `-1`, `-2`, ...
    static func anchors(in text: String) -> Set<String> {
        var seen: [String: Int] = [:]
        var anchors: Set<String> = []
        var inFence = false
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("```") { inFence.toggle(); continue }
            guard !inFence, line.hasPrefix("#") else { continue }
            let title = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased()
            let slug = String(title.unicodeScalars.compactMap { scalar -> Character? in
                if scalar == " " { return "-" }
                let character = Character(scalar)
                return character.isLetter || character.isNumber || scalar == "-" || scalar == "_" ? character : nil
            })
            let count = seen[slug, default: 0]
            seen[slug] = count + 1
            anchors.insert(count == 0 ? slug : "\(slug)-\(count)")
        }
        return anchors
    }
}

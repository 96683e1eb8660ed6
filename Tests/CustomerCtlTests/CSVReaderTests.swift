import TestSupport
import Testing
@testable import CustomerCSV
@testable import customerctl

@Suite struct CSVReaderTests {
    private func records(_ text: String, delimiter: Character = ",") throws -> [CSVReader.Record] {
        try records(Array(text.utf8), delimiter: delimiter)
    }

    private func records(_ bytes: [UInt8], delimiter: Character = ",", chunkSize: Int = .max) throws -> [CSVReader.Record] {
        var reader = CSVReader(source: CSVBytes(bytes, chunkSize: chunkSize), delimiter: delimiter.asciiValue ?? 0)
        var all: [CSVReader.Record] = []
        while let record = try reader.next() { all.append(record) }
        return all
    }

    /// The records of `bytes`, or the error that ended them.
    private func outcome(_ bytes: [UInt8], chunkSize: Int) -> Result<[CSVReader.Record], CSVError> {
        Result { () throws(CSVError) in
            do { return try records(bytes, chunkSize: chunkSize) } catch let error as CSVError { throw error } catch {
                throw CSVError(line: 0, "not a CSVError: \(error)")
            }
        }
    }

    @Test func fieldsRecordsAndTheLineEachStartsOn() throws {
        #expect(try records("name,country\r\nAcme Oy,FI\r\nBeta AS,NO\r\n") == [
            .init(line: 1, fields: ["name", "country"]), .init(line: 2, fields: ["Acme Oy", "FI"]),
            .init(line: 3, fields: ["Beta AS", "NO"]),
        ])
        // LF alone, a lone CR, and no line end after the last record.
        #expect(try records("a,b\nc,d\re,f").map(\.fields) == [["a", "b"], ["c", "d"], ["e", "f"]])
        #expect(try records("a,,\n,b,\n").map(\.fields) == [["a", "", ""], ["", "b", ""]])
    }

    @Test func quotedFieldsHoldDelimitersQuotesAndLineBreaks() throws {
        let text = "name,notes\r\n\"Acme, Oy\",\"say \"\"hi\"\"\"\r\n\"Beta\",\"two\r\nlines\"\r\nGamma,\"\"\r\n"
        #expect(try records(text) == [
            .init(line: 1, fields: ["name", "notes"]), .init(line: 2, fields: ["Acme, Oy", "say \"hi\""]),
            .init(line: 3, fields: ["Beta", "two\r\nlines"]), .init(line: 5, fields: ["Gamma", ""]),
        ])
    }

    @Test func aByteOrderMarkIsSkippedAndSemicolonsSeparate() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("nimi;maa\nMäkelä Oy;\"FI;x\"\n".utf8)
        #expect(try records(bytes, delimiter: ";").map(\.fields) == [["nimi", "maa"], ["Mäkelä Oy", "FI;x"]])
    }

    @Test(arguments: [
        ("a,\"b\nc", 1, "a quoted field is not closed before the end of the file"),
        ("a\nb,\"c\"d\n", 2, "text after a closing quote: a quote inside a field must be doubled"),
        ("a\nb\nc\"d\n", 3, "a quote inside an unquoted field: quote the field and double the quote"),
    ])
    func malformedInputNamesItsLine(text: String, line: Int, reason: String) throws {
        #expect(throws: CSVError(line: line, reason)) { try records(text) }
    }

    @Test func bytesThatAreNotUTF8AreRefusedWithTheirLine() throws {
        #expect(throws: CSVError(line: 2, "the text is not UTF-8 (save the file as UTF-8 and try again)")) {
            try records(Array("a\n".utf8) + [0x41, 0xFF, 0x0A])
        }
    }

    /// What `CSV.line` writes, the reader reads back field for field, whatever the text.
    @Test func whatTheWriterWritesTheReaderReadsBack() throws {
        var generator = SeededGenerator(seed: 17)
        // U+FEFF is the byte order mark's character: a first cell may start with it.
        let alphabet: [String] = ["a", "Ä", ",", "\"", "\r", "\n", "\r\n", " ", ";", "€", "", "\u{FEFF}", "\t", "\u{0}"]
        for _ in 0..<2_000 {
            let width = Int.random(in: 1...4, using: &generator)
            let rows = (0..<Int.random(in: 1...4, using: &generator)).map { _ in
                (0..<width).map { _ in
                    (0..<Int.random(in: 0...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? "" }
                        .joined()
                }
            }
            let text = rows.map { CSV.line($0) }.joined()
            #expect(try records(text).map(\.fields) == rows, "\(text.debugDescription)")
        }
    }

    /// A first cell that starts with U+FEFF (the byte order mark's character, as a name pasted
    /// from a file can) keeps it: the reader skips a mark only outside quotes.
    @Test func aFirstCellStartingWithAByteOrderMarkIsReadBackWhole() throws {
        let rows = [["\u{FEFF}Acme Oy", "FI"]]
        let text = rows.map { CSV.line($0) }.joined()
        #expect(try records(text).map(\.fields) == rows)
    }

    /// A file read a few bytes at a time (as a pipe may deliver it; customerctl reads a file as it
    /// sends it since redteam34) gives the records, or the error, it gives read whole: whatever
    /// falls on a chunk's edge (a doubled quote, a CRLF, a lone CR, a byte order mark, a UTF-8
    /// character, the end of an unclosed quote).
    @Test func aFileReadInChunksReadsAsItDoesWhole() {
        let texts: [[UInt8]] = [
            Array("name,country\r\nAcme Oy,FI\r\nBeta AS,NO\r\n".utf8),
            Array("name,notes\r\n\"Acme, Oy\",\"say \"\"hi\"\"\"\r\n\"Beta\",\"two\r\nlines\"\r\nGamma,\"\"\r\n".utf8),
            Array("a,b\nc,d\re,f".utf8), Array("a\r\r\n\rb\r".utf8), Array("a,,\n,b,\n\n".utf8),
            [0xEF, 0xBB, 0xBF] + Array("nimi;maa\nMäkelä Oy;\"FI;x\"\n".utf8), [0xEF, 0xBB], [0xEF, 0xBB, 0xBF],
            Array("a,\"b\nc".utf8), Array("a\nb,\"c\"d\n".utf8), Array("a\nb\nc\"d\n".utf8),
            Array("a\n".utf8) + [0x41, 0xFF, 0x0A], Array("€€,\"€\"\"€\"\r\n".utf8), [],
        ]
        for text in texts {
            let whole = outcome(text, chunkSize: .max)
            for chunkSize in 1...8 {
                #expect(outcome(text, chunkSize: chunkSize) == whole, "\(text) in chunks of \(chunkSize)")
            }
        }
        var generator = SeededGenerator(seed: 4181)
        let bytes: [UInt8] = [0x2C, 0x22, 0x0D, 0x0A, 0x61, 0xC3, 0xA4, 0xFF, 0xEF, 0xBB, 0xBF]
        for _ in 0..<5_000 {
            let input = (0..<Int.random(in: 0...24, using: &generator)).map { _ in bytes.randomElement(using: &generator) ?? 0 }
            let chunkSize = Int.random(in: 1...5, using: &generator)
            #expect(outcome(input, chunkSize: chunkSize) == outcome(input, chunkSize: .max), "\(input) in chunks of \(chunkSize)")
        }
    }

    /// Any bytes at all: the reader returns records or a `CSVError`, and never traps or loops.
    @Test func arbitraryBytesNeverTrap() {
        var generator = SeededGenerator(seed: 4180)
        let bytes: [UInt8] = [0x2C, 0x3B, 0x22, 0x0D, 0x0A, 0x61, 0xC3, 0xA4, 0xFF, 0xEF, 0xBB, 0xBF, 0x00]
        for _ in 0..<20_000 {
            let input = (0..<Int.random(in: 0...40, using: &generator)).map { _ in bytes.randomElement(using: &generator) ?? 0 }
            var reader = CSVReader(input, delimiter: UInt8(ascii: ","))
            var count = 0
            do {
                while try reader.next() != nil {
                    count += 1
                    // A record consumes at least one byte, so there are never more records than bytes.
                    #expect(count <= input.count)
                    if count > input.count { break }
                }
            } catch {
                #expect(error is CSVError)
            }
        }
    }
}


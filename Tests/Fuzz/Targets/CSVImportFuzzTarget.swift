import CommandLineKit
import CustomerCSV
import Foundation

/// Fuzz target (j): a CSV file a user passes to `customerctl customers import`, read as customer
/// records (`CustomerImport`: the reader, then each row's mapping to a record by its columns).
///
/// Input: one byte, its low 2 bits the delimiter (`,` `;` tab `|`) and bit 2 whether a header
/// naming every column goes first (so the rows' mapping is reached, not only the header's check),
/// then the file. It must give records and problems, each on a line of the file, or a `CSVError`
/// naming a line of the file, or a `UsageError` (a header naming no field): never a trap, never
/// any other error. Bits 3 to 5 give a chunk size (1 to 8 bytes): read in chunks of it, as
/// customerctl reads a pipe, the file must give the records, or the error, it gives read whole.
enum CSVImportFuzzTarget {
    static let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]

    static func run(_ input: UnsafeRawBufferPointer) {
        guard let control = input.first else { return }
        let delimiter = delimiters[Int(control & 3)]
        let header = control & 4 != 0
            ? Array(CustomerColumns.names.joined(separator: String(UnicodeScalar(delimiter))).utf8) + [0x0D, 0x0A] : []
        let file = header + input.dropFirst()
        // A record starts on a line the file has: 1 plus its line breaks (a CRLF counted twice is an upper bound).
        let lines = 1 + file.count { $0 == 0x0A || $0 == 0x0D }
        let chunkSize = 1 + Int(control >> 3 & 7)
        let whole = records(file, delimiter: delimiter, chunkSize: .max)
        if records(file, delimiter: delimiter, chunkSize: chunkSize) != whole {
            fatalError("read in chunks of \(chunkSize) bytes it gives other records than read whole: \(file)")
        }
        do {
            var parsed = try CustomerImport(csv: file, delimiter: delimiter, maps: [])
            let records = try parsed.remainingRecords()
            let rowLines = records.map { $0.line ?? 0 } + parsed.problems.map(\.line)
            if let outside = rowLines.first(where: { $0 < 2 || $0 > Int64(lines) }) {
                fatalError("a row on line \(outside) of a file of at most \(lines) lines: \(file)")
            }
            if records.count + Set(parsed.problems.map(\.line)).count > parsed.rows {
                fatalError("more records and refused rows than rows read (\(parsed.rows)): \(file)")
            }
        } catch let error as CSVError {
            if error.line < 1 || error.line > lines {
                fatalError("\(error) names a line outside a file of at most \(lines) lines: \(file)")
            }
        } catch is UsageError {
            return
        } catch {
            fatalError("\(type(of: error)) \(error) is neither a CSVError nor a UsageError: \(file)")
        }
    }

    /// What the reader makes of `file` handed to it `chunkSize` bytes at a time: its records, and
    /// the error that ended them, described (a type, a line and a reason).
    private static func records(_ file: [UInt8], delimiter: UInt8, chunkSize: Int) -> ([CSVReader.Record], String?) {
        var reader = CSVReader(source: CSVBytes(file, chunkSize: chunkSize), delimiter: delimiter)
        var all: [CSVReader.Record] = []
        do {
            while let record = try reader.next() { all.append(record) }
            return (all, nil)
        } catch {
            return (all, "\(type(of: error)) \(error)")
        }
    }

    /// The input for `file` with `delimiter`, after the full header when `header`.
    static func input(_ file: String, delimiter: UInt8 = UInt8(ascii: ","), header: Bool = true) -> [UInt8] {
        [UInt8(delimiters.firstIndex(of: delimiter) ?? 0) | (header ? 4 : 0)] + Array(file.utf8)
    }

    /// Files as the tests and docs/TOUR.md write them, and malformed ones: an unclosed quote, text
    /// after a closing quote, a lone CR, a byte order mark, bytes that are not UTF-8, a wrong cell count.
    static func seeds() -> [[UInt8]] {
        let cells = CustomerColumns.names.count
        let row = (0..<cells).map { $0 == 0 ? "10001" : $0 == 1 ? "Acme Oy" : "" }.joined(separator: ",")
        var seeds = [
            input("number,name,address.city,address.country,address.kind,contact.firstName\r\n"
                  + "10001,Acme Oy,Espoo,FI,postal,Aino\r\n,Beta AS,,,,\r\n", header: false),
            input("name,contact.firstName,contact.keywords,contact.roles\r\n"
                  + "\"Acme, Oy\",Aino,\"VIP|Key\\|Account|\\\\back\",Buyer\r\nBeta,,Olli,\"trailing\\\",\r\n", header: false),
            input("\u{FEFF}name;country\nÄäkkönen Oy;FI\n\n", delimiter: UInt8(ascii: ";"), header: false),
            input("name\tcountry\rAcme\tFI\r", delimiter: 0x09, header: false),
            input(row + "\r\n" + row.replacingOccurrences(of: "10001", with: "12x") + "\r\n"),
            input(row + "\r\n\"unclosed,\r\n"),
            input(row + "\r\n\"closed\"after," + String(repeating: ",", count: cells - 2) + "\r\n"),
            input(row + ",one too many\r\n"),
            input("nofield,name\r\nx,y\r\n", header: false),
        ]
        seeds.append(input(row + "\r\n") + [0xC3, 0x28, 0x2C, 0xFF])
        return seeds
    }
}

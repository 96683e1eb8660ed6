import CustomerStore
import Foundation
import Glibc

/// Fuzz target (o): a listing's page token and search text as a caller sends them
/// (`ListCustomersRequest.pageToken`, `query.search`), read by the store (`listCustomers`): the
/// token's base64url, its fields, and the keyset position it resumes from, on a real SQLite file in
/// `/tmp/cc-fuzz-tokens-PID` seeded with customers whose names sort alike.
///
/// The token names the listing that made it by a fingerprint of its filter and order, which a
/// caller can compute (FNV-1a) but random bytes never hit, so the `handlers` target's tokens are
/// refused at the first check. Here half the inputs keep the fingerprint of a real token of the same
/// listing and fuzz what follows it (the id, number and name key the page resumes after).
///
/// Input: one byte: the order (low 2 bits, modulo 3: by name, number, id), the status (bits 2-3,
/// modulo 3: active, inactive, all), the token's form (bit 4: the rest after a real token's
/// `1|order|fingerprint|`, base64url; else the rest as the token's text), a search (bit 5: its
/// length is the next byte, its text follows); a byte, the page's size (1 + modulo 4); then the
/// rest. Findings: a trap; an error other than `StoreError.invalidArgument` naming `pageToken` or
/// `search`; a page larger than asked; a next page's token, the store's own, refused.
final class PageTokenFuzzTarget: Sendable {
    static let directory = "/tmp/cc-fuzz-tokens-\(getpid())"

    let store: CustomerStore

    private init(store: CustomerStore) {
        self.store = store
    }

    /// The seeded store, once per process; removed when the process exits.
    static let shared: PageTokenFuzzTarget = {
        atexit { try? FileManager.default.removeItem(atPath: PageTokenFuzzTarget.directory) }
        return seeded(in: directory)
    }()

    /// A store in `directory` with an administrator and customers: names equal but for case and
    /// accents, a name with `|` in it, an inactive one.
    static func seeded(in directory: String) -> PageTokenFuzzTarget {
        do {
            try? FileManager.default.removeItem(atPath: directory)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let store = try CustomerStore(path: directory + "/customers.sqlite")
            let author = Author.user(try store.addUser(uid: 7500, name: "boss", isAdministrator: true).id)
            let names = ["Acme Oy", "ACME OY", "Äcme Oy", "Beta|Gamma AB", "Øresund ApS", "Zeta \u{1F4BC} GmbH", "acme oy", "Delta Oy"]
            for (index, name) in names.enumerated() {
                let created = try store.createCustomer(NewCustomer(name: name, country: index % 2 == 0 ? "FI" : "SE"),
                                                       allowDuplicateVAT: true, by: author)
                if index == 6 { _ = try store.setCustomerActive(id: created.id, false, expectedVersion: nil, by: author) }
            }
            return PageTokenFuzzTarget(store: store)
        } catch {
            fatalError("cannot seed the page-token target's store in \(directory): \(error)")
        }
    }

    static func run(_ input: UnsafeRawBufferPointer) {
        _ = shared.run(input)
    }

    /// What one input came to.
    enum Outcome: Equatable {
        /// A page was listed from the token.
        case page
        /// The token or the search was refused (`INVALID_ARGUMENT` naming it).
        case refused
    }

    static let orders: [CustomerOrder] = [.byName, .byNumber, .byID]
    static let statuses: [ActivityFilter] = [.active, .inactive, .all]

    /// One input; nil when it is too short to be one.
    func run(_ input: UnsafeRawBufferPointer) -> Outcome? {
        guard input.count >= 2 else { return nil }
        let control = input[0]
        let order = Self.orders[Int(control & 3) % 3]
        var rest = Array(input.dropFirst(2))[...]
        var search: String?
        if control & 32 != 0, let length = rest.first {
            let text = rest.dropFirst().prefix(Int(length))
            search = String(decoding: text, as: UTF8.self)
            rest = rest.dropFirst(1 + text.count)
        }
        let filter = CustomerFilter(status: Self.statuses[Int(control >> 2 & 3) % 3], search: search)
        let limit = 1 + Int(input[1] % 4)
        let token: String
        if control & 16 != 0, let prefix = realPrefix(filter, order: order) {
            token = Self.base64URL(prefix + rest)
        } else {
            token = String(decoding: rest, as: UTF8.self)
        }
        let next: String?
        do {
            var count = 0
            next = try store.listCustomers(filter, order: order, limit: limit, pageToken: token) { _ in count += 1 }
            if count > limit { fatalError("a page of \(count) customers for a limit of \(limit)") }
        } catch let StoreError.invalidArgument(violations)
                    where violations.allSatisfy({ $0.field == "pageToken" || $0.field == "search" }) {
            return .refused
        } catch {
            fatalError("listing with token \(Array(token.utf8)) and search \(String(describing: search)) failed with \(error)")
        }
        guard let next else { return .page }
        do {
            _ = try store.listCustomers(filter, order: order, limit: limit, pageToken: next)
        } catch {
            fatalError("the store's own next-page token \(next) was refused: \(error) (after token \(Array(token.utf8)))")
        }
        return .page
    }

    /// The decoded `1|order|fingerprint|` of a real next-page token of this listing; nil when the
    /// listing has a single page.
    private func realPrefix(_ filter: CustomerFilter, order: CustomerOrder) -> [UInt8]? {
        guard let token = try? store.listCustomers(filter, order: order, limit: 1, pageToken: nil).nextPageToken,
              let bytes = Self.base64URLDecoded(token) else { return nil }
        var bars = 0
        guard let end = bytes.firstIndex(where: { byte in
            if byte == UInt8(ascii: "|") { bars += 1 }
            return bars == 3
        }) else { return nil }
        return Array(bytes[...end])
    }

    static func base64URL(_ bytes: some Collection<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecoded(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map { [UInt8]($0) }
    }

    /// The input listing in `order` (0-2), `status` (0-2), with the real token's prefix and `tail`
    /// when `keepsPrefix`, else `tail` as the whole token; `search` when given.
    static func input(order: UInt8, status: UInt8 = 0, keepsPrefix: Bool, limit: UInt8 = 1, search: String? = nil,
                      _ tail: [UInt8]) -> [UInt8] {
        let searchBytes = search.map { [UInt8(min($0.utf8.count, 255))] + Array($0.utf8.prefix(255)) } ?? []
        return [order | status << 2 | (keepsPrefix ? 16 : 0) | (search == nil ? 0 : 32), limit] + searchBytes + tail
    }

    /// Positions a page could end at, and broken ones: ids and numbers at and past Int64's ends,
    /// non-digits, a name key with `|`, NUL and bytes that are not UTF-8; raw tokens: empty, padded,
    /// not base64, huge; searches of one character, of `%` and `_`, of a VAT number's spelling.
    static func seeds() -> [[UInt8]] {
        let tails = ["1|10001|acme oy", "3|10003|acme oy", "4|10004|beta|gamma ab", "0|0|", "-1|-1|",
                     "9223372036854775807|9223372036854775807|\u{10FFFF}", "9223372036854775808|1|x", "x|y|z", "1|2",
                     "1|2|a\u{0}b", "|||", ""]
        var seeds: [[UInt8]] = []
        for (index, tail) in tails.enumerated() {
            seeds.append(input(order: UInt8(index % 3), status: UInt8(index % 3), keepsPrefix: true, limit: UInt8(index), Array(tail.utf8)))
        }
        seeds.append(input(order: 0, keepsPrefix: true, Array("1|10001|".utf8) + [0xFF, 0xFE]))
        for raw in ["", "MXxieU5hbWV8", "MXxieU5hbWV8==", "!!!!", String(repeating: "QUFB", count: 900), "1|byName|0|1|1|a"] {
            seeds.append(input(order: 0, keepsPrefix: false, Array(raw.utf8)))
        }
        for search in ["a", "acme", "%", "_", "\\", "FI 0112 0389", "ÄCME", "|", String(repeating: "ab", count: 200)] {
            seeds.append(input(order: 0, status: 2, keepsPrefix: true, limit: 2, search: search, Array("1|1|a".utf8)))
        }
        return seeds
    }
}

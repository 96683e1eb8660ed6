import Foundation

/// Where a listing page ended: the last row's sort key and id. Keyset pagination resumes
/// strictly after it, so rows inserted or deleted between pages never shift the others.
struct ListPosition: Sendable, Hashable {
    var id: Int64
    var number: Int64
    var nameKey: String
}

/// The opaque `nextPageToken`: base64url of `1|order|fingerprint|id|number|nameKey`.
///
/// The fingerprint (FNV-1a of the normalised filter) ties a token to the listing that made it;
/// a token presented with another order or filter, or one that does not parse, is refused.
struct PageToken: Sendable, Hashable {
    static let formatVersion = "1"

    var order: CustomerOrder
    var fingerprint: UInt64
    var position: ListPosition

    func encoded() -> String {
        // The text's bytes appended into one array: the six `String`s joined, then copied into
        // an array, cost ~8 700 instructions a page under callgrind.
        var text: [UInt8] = []
        text.reserveCapacity(48 + position.nameKey.utf8.count)
        for part in [PageToken.formatVersion, order.rawValue, String(fingerprint, radix: 16),
                     String(position.id), String(position.number)] {
            text.append(contentsOf: part.utf8)
            text.append(UInt8(ascii: "|"))
        }
        text.append(contentsOf: position.nameKey.utf8)
        return Base64URL.encode(text)
    }

    /// Decodes a token and checks it belongs to this order and filter.
    static func decode(_ token: String, order: CustomerOrder, fingerprint: UInt64) throws -> ListPosition {
        let invalid = StoreError.invalid("pageToken", "is not a page token of this listing (order and filter must not change)")
        guard let bytes = Base64URL.decodeCanonical(token) ?? foundationBytes(token) else { throw invalid }
        // Split as bytes: `String.split` walks Characters, ~17 000 instructions a token under
        // callgrind, and `[UInt8].split` grows an array of its slices (~1 600). The name key comes
        // last and may itself contain "|"; the fields before it parse only as ASCII, so the token
        // is valid UTF-8 exactly when the name key is.
        var fields = bytes[...]
        func next() -> ArraySlice<UInt8>? {
            guard let bar = fields.firstIndex(of: UInt8(ascii: "|")) else { return nil }
            defer { fields = fields[(bar + 1)...] }
            return fields[..<bar]
        }
        guard let version = next(), version.elementsEqual(formatVersion.utf8),
              let tokenOrder = next(), tokenOrder.elementsEqual(order.rawValue.utf8),
              let tokenFingerprint = next().flatMap({ UInt64(String(decoding: $0, as: UTF8.self), radix: 16) }),
              tokenFingerprint == fingerprint,
              let id = next().flatMap({ Int64(String(decoding: $0, as: UTF8.self)) }),
              let number = next().flatMap({ Int64(String(decoding: $0, as: UTF8.self)) }),
              let nameKey = String(validating: fields, as: UTF8.self) else {
            throw invalid
        }
        return ListPosition(id: id, number: number, nameKey: nameKey)
    }

    /// The bytes of any other spelling Foundation's base64 accepts once `-_` become `+/` and the
    /// padding is restored (with padding, say): tokens were read this way before, so still are.
    private static func foundationBytes(_ token: String) -> [UInt8]? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map { [UInt8]($0) }
    }

    /// FNV-1a (64-bit) of a canonical text, its parts joined by U+001F (hashed part by part: the
    /// same value without the joined `String`); stable across processes, unlike `Hasher`.
    static func fingerprint(_ parts: [String]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (index, part) in parts.enumerated() {
            if index > 0 { hash = (hash ^ 0x1F) &* 0x0000_0100_0000_01b3 }
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
        }
        return hash
    }
}

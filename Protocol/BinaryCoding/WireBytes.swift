import DisplayText
import Foundation

/// A value written as one length-delimited payload (wire type 2).
protocol WireBytes {
    /// Appends the length varint and then the content.
    func appendWire(to bytes: inout [UInt8])
    /// Rebuilds the value from its content (the bytes after the length).
    init(wireContent: UnsafeRawBufferPointer) throws(WireFailure)
}

extension String: WireBytes {
    func appendWire(to bytes: inout [UInt8]) {
        var copy = self
        copy.withUTF8 { utf8 in
            bytes.appendVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// ASCII up to 15 bytes (a small string, stored inline: most fields here) is made as its two
    /// words (`smallASCII`). Longer ASCII (names, numbers, e-mail addresses: most text here) is
    /// checked eight bytes at a time and copied into its storage by `String(copying:)` from a
    /// `UTF8Span` made unchecked as known ASCII (the check), which validates nothing again.
    /// (`String(decoding:)` of a short string scans it for ASCII again and builds the small string
    /// byte by byte: ~175 instructions a field under callgrind, against ~110; of a longer one it
    /// validated it again before copying, `_fromUTF8Repairing`.) Anything else:
    /// `UTF8Span(validating:)` validates once and fails on bad input, and `String(copying:)` then
    /// copies without validating again. (`String(decoding:)` repairs bad input with U+FFFD, so
    /// detecting a repair took a second pass; `String(validating:as:)` is generic over the
    /// encoding and cost a metadata lookup per string under callgrind.)
    @inline(__always)
    init(wireContent: UnsafeRawBufferPointer) throws(WireFailure) {
        if let small = Self.smallASCII(wireContent) {
            self = small
            return
        }
        let decoded = wireContent.withMemoryRebound(to: UInt8.self) { bytes -> String? in
            if bytes.count > Self.smallCapacity, Self.isASCII(wireContent) {
                return String(copying: UTF8Span(unchecked: bytes.span, isKnownASCII: true))
            }
            guard let utf8 = try? UTF8Span(validating: bytes.span) else { return nil }
            return String(copying: utf8)
        }
        guard let decoded else { throw WireFailure(message: "invalid UTF-8 in a string") }
        self = decoded
    }

    /// The most UTF-8 bytes a string holds inline on a 64-bit platform (no allocation).
    private static var smallCapacity: Int { 15 }

    /// `bytes` as a small string when they are ASCII and at most `smallCapacity` of them; nil
    /// otherwise. Made as the two words the standard library's 64-bit little-endian layout of a
    /// small string holds (its stable ABI: the bytes in order, then in the last byte the
    /// discriminator of a small ASCII string, 0xE0, with the count), so the ASCII check is one
    /// test of both words. `String(unsafeUninitializedCapacity:initializingUTF8With:)` made it
    /// through a closure and a check of its own, ~86 instructions a string under callgrind, a
    /// third of a page's strings (docs/performance/HISTORY.md "card30"); WireStringTests compare every
    /// length with `String(validating:)`. Other platforms take that initializer.
    ///
    /// The words are loaded from the content as two overlapping loads of 8, 4 or 2 bytes (as
    /// `isASCII` reads a tail), never past it, and the string is moved out of them, not cast:
    /// copying them into the words was a call of `memcpy`, and `unsafeBitCast` a retain of the
    /// value it made (`swift_bridgeObjectRetain`, a call even for a small string) and a stack
    /// protector for the words' memory (`memcpy` −2 350 and the retains −2 300 instructions a
    /// page of 50 under callgrind, docs/performance/HISTORY.md "decode32").
    @inline(__always)
    static func smallASCII(_ bytes: UnsafeRawBufferPointer) -> String? {
        let count = bytes.count
        guard count <= smallCapacity else { return nil }
        #if _endian(little) && (arch(x86_64) || arch(arm64))
        var low: UInt64 = 0
        var high: UInt64 = 0
        if let base = bytes.baseAddress {
            if count >= 8 {
                low = base.loadUnaligned(as: UInt64.self)
                if count > 8 {
                    // The last eight bytes, shifted down past those `low` holds.
                    high = base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                        &>> UInt64(truncatingIfNeeded: (16 &- count) &* 8)
                }
            } else if count >= 4 {
                // The first four and the last four, overlapping: the same bytes where they do.
                low = UInt64(base.loadUnaligned(as: UInt32.self))
                    | UInt64(base.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
                    &<< UInt64(truncatingIfNeeded: (count &- 4) &* 8)
            } else if count >= 2 {
                low = UInt64(base.loadUnaligned(as: UInt16.self))
                    | UInt64(base.loadUnaligned(fromByteOffset: count &- 2, as: UInt16.self))
                    &<< UInt64(truncatingIfNeeded: (count &- 2) &* 8)
            } else if count == 1 {
                low = UInt64(base.load(as: UInt8.self))
            }
        }
        guard (low | high) & 0x8080_8080_8080_8080 == 0 else { return nil }
        var words = (low, high | (0xE0 | UInt64(truncatingIfNeeded: count)) &<< 56)
        // Taken from the words' memory, which holds no reference to retain.
        return withUnsafeMutablePointer(to: &words) {
            UnsafeMutableRawPointer($0).assumingMemoryBound(to: String.self).move()
        }
        #else
        guard isASCII(bytes) else { return nil }
        return String(unsafeUninitializedCapacity: count) { storage in
            guard let source = bytes.baseAddress, let target = storage.baseAddress else { return 0 }
            target.initialize(from: source.assumingMemoryBound(to: UInt8.self), count: count)
            return count
        }
        #endif
    }

    /// Whether every byte of `bytes` is below 0x80 (also `BinaryWriter`'s check of borrowed text).
    /// Eight bytes at a time; the tail as one load of the last eight (or four, or two) bytes,
    /// overlapping those read, not byte by byte: most texts here are 5 to 30 bytes, and the byte
    /// loop was ~35 of the ~70 instructions a text spent in this check (callgrind, "list18").
    @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        var high: UInt64 = 0
        if count >= 8 {
            var position = 0
            while count - position > 8 {
                high |= bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                position += 8
            }
            high |= bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 {
            high = UInt64(bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
                | bytes.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
        } else if count >= 2 {
            high = UInt64(bytes.loadUnaligned(fromByteOffset: 0, as: UInt16.self)
                | bytes.loadUnaligned(fromByteOffset: count - 2, as: UInt16.self))
        } else if count == 1 {
            high = UInt64(bytes[0])
        }
        return high & 0x8080_8080_8080_8080 == 0
    }
}

extension Data: WireBytes {
    func appendWire(to bytes: inout [UInt8]) {
        Varint.append(UInt64(count), to: &bytes)
        withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    init(wireContent: UnsafeRawBufferPointer) throws(WireFailure) {
        self.init(wireContent)
    }
}

/// A UUID is its 16 bytes in RFC 4122 order (the order of `uuidString`).
extension UUID: WireBytes {
    func appendWire(to bytes: inout [UInt8]) {
        bytes.append(16)
        withUnsafeBytes(of: uuid) { bytes.append(contentsOf: $0) }
    }

    init(wireContent: UnsafeRawBufferPointer) throws(WireFailure) {
        guard wireContent.count == 16 else {
            throw WireFailure(message: "a UUID takes 16 bytes, found \(wireContent.count)")
        }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: wireContent) }
        self.init(uuid: raw)
    }
}

/// A URL is its `absoluteString`.
extension URL: WireBytes {
    func appendWire(to bytes: inout [UInt8]) {
        absoluteString.appendWire(to: &bytes)
    }

    init(wireContent: UnsafeRawBufferPointer) throws(WireFailure) {
        let text = try String(wireContent: wireContent)
        guard let url = URL(string: text) else { throw WireFailure(message: "invalid URL \(TerminalText.quoted(text, quote: "\""))") }
        self = url
    }
}

/// A Decimal is its `description` ("-1234.5", "0.005", "NaN"), a string that parses back to
/// the same value in every language's decimal type. Foundation's own Decimal Codable is a keyed
/// container with string keys, which this format cannot carry, so it is special-cased.
/// `description` and `Decimal(string:)` cost microseconds, so the usual case (a mantissa of at
/// most 19 digits) is formatted and parsed here, producing exactly what they would.
extension Decimal: WireBytes {
    func appendWire(to bytes: inout [UInt8]) {
        guard let digits = fastDescription() else {
            description.appendWire(to: &bytes)
            return
        }
        Varint.append(UInt64(digits.count), to: &bytes)
        bytes.append(contentsOf: digits)
    }

    /// `description` as UTF-8, or nil when the mantissa does not fit in 64 bits (or NaN).
    private func fastDescription() -> [UInt8]? {
        guard !isNaN else { return nil }
        let significand = self.significand
        let mantissa = NSDecimalNumber(decimal: significand).uint64Value
        guard Decimal(mantissa) == significand else { return nil }
        if mantissa == 0 { return [UInt8(ascii: "0")] }
        var digits: [UInt8] = sign == .minus ? [UInt8(ascii: "-")] : []
        let mantissaDigits = String(mantissa).utf8
        if exponent >= 0 {
            digits.append(contentsOf: mantissaDigits)
            digits.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: exponent))
            return digits
        }
        let fraction = -exponent
        let whole = mantissaDigits.count - fraction
        if whole <= 0 {
            digits.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: ".")])
            digits.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -whole))
            digits.append(contentsOf: mantissaDigits)
        } else {
            digits.append(contentsOf: mantissaDigits.prefix(whole))
            digits.append(UInt8(ascii: "."))
            digits.append(contentsOf: mantissaDigits.dropFirst(whole))
        }
        return digits
    }

    init(wireContent: UnsafeRawBufferPointer) throws(WireFailure) {
        if let value = Decimal.parseCanonical(wireContent) {
            self = value
            return
        }
        let text = try String(wireContent: wireContent)
        if text == "NaN" {
            self = .nan
            return
        }
        // Decimal(string:) accepts a valid prefix ("12abc" is 12), so parseCanonical checked the
        // shape; this handles the long mantissas it leaves over.
        guard Decimal.isCanonical(wireContent), let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
        else { throw WireFailure(message: "invalid decimal \(TerminalText.quoted(text, quote: "\""))") }
        // Decimal(string:) rounds what it cannot hold ("1." and 40 zeros and "1" is 1): a money text
        // would be stored as another value than was sent, past every check of its digits.
        guard Decimal.isExactlyRepresentable(wireContent) else {
            throw WireFailure(message: "invalid decimal \(TerminalText.quoted(text, quote: "\"")): a decimal holds at most 38 significant digits "
                + "(39 below 2^128), the last of them at 10^-128 or above")
        }
        self = value
    }

    /// Whether a canonical-shaped text is a value Decimal holds exactly: a mantissa below 2^128
    /// times 10^e with e in -128...127. The mantissa is the digits from the first to the last
    /// non-zero one, and as many zeros after them as the last one lies above 10^127.
    private static func isExactlyRepresentable(_ text: UnsafeRawBufferPointer) -> Bool {
        let point = text.firstIndex(of: UInt8(ascii: ".")) ?? text.endIndex
        var mantissa: [UInt8] = []
        var zeros = 0  // zeros after the last non-zero digit so far, written once another follows
        var last = 0  // the power of ten of the last non-zero digit
        for (index, byte) in text.enumerated() where byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
            guard byte != UInt8(ascii: "0") else {
                if !mantissa.isEmpty { zeros += 1 }
                continue
            }
            guard mantissa.count + zeros < 40 else { return false }
            mantissa += repeatElement(UInt8(ascii: "0"), count: zeros)
            mantissa.append(byte)
            zeros = 0
            last = index < point ? point - index - 1 : point - index
        }
        guard !mantissa.isEmpty else { return true }  // zero
        guard last >= -128 else { return false }
        if last > 127 { mantissa += repeatElement(UInt8(ascii: "0"), count: min(last - 127, 40)) }
        let limit = twoTo128Digits
        return mantissa.count < limit.count || (mantissa.count == limit.count && mantissa.lexicographicallyPrecedes(limit))
    }

    /// 2^128 in decimal digits: a mantissa Decimal holds is below it.
    private static let twoTo128Digits = Array("340282366920938463463374607431768211456".utf8)

    /// Whether `text` has the shape `description` writes: `-?[0-9]+(\.[0-9]+)?`.
    private static func isCanonical(_ text: UnsafeRawBufferPointer) -> Bool {
        var sawDigit = false
        var sawPoint = false
        var afterPoint = false
        for (position, byte) in text.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where position == 0:
                continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                afterPoint = sawPoint
            case UInt8(ascii: ".") where sawDigit && !sawPoint:
                sawPoint = true
            default:
                return false
            }
        }
        return sawDigit && (!sawPoint || afterPoint)
    }

    /// Parses the canonical shape when the mantissa has at most 19 digits (fits in 64 bits);
    /// nil otherwise, leaving the rest to `Decimal(string:)`.
    private static func parseCanonical(_ text: UnsafeRawBufferPointer) -> Decimal? {
        guard isCanonical(text) else { return nil }
        var mantissa: UInt64 = 0
        var digitCount = 0
        var fraction = 0
        var sawPoint = false
        for byte in text where byte != UInt8(ascii: "-") {
            if byte == UInt8(ascii: ".") {
                sawPoint = true
                continue
            }
            if mantissa == 0 && byte == UInt8(ascii: "0") {
                if sawPoint { fraction += 1 }
                continue  // leading zeros add no digits
            }
            digitCount += 1
            guard digitCount <= 19 else { return nil }
            mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
            if sawPoint { fraction += 1 }
        }
        guard fraction <= 127 else { return nil }
        // Zero has no sign in Decimal (a negative zero would be NaN).
        if mantissa == 0 { return Decimal.zero }
        let negative = text.first == UInt8(ascii: "-")
        return Decimal(sign: negative ? .minus : .plus, exponent: -fraction, significand: Decimal(mantissa))
    }
}

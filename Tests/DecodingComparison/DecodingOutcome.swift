import BinaryCoding

/// How one decoding ended, so that a `DirectDecodable` message's own reader can be held against the
/// generic decoder (`BinaryDecoder.readsDirectly` on and off): the value's encoding (equal values
/// encode alike, map entries sorted, and a NaN equals itself), or the kind of `DecodingError`
/// (the two paths agree on the kind, not on the wording). Shared by the BinaryCoding and
/// CustomerAPI tests and the `direct` fuzz target.
public enum DecodingOutcome: Equatable, Sendable, CustomStringConvertible {
    case value([UInt8])
    case failure(DecodingErrorKind)
    /// Neither a value nor a `DecodingError`: never right, kept with its description.
    case otherError(String)

    /// Decodes `bytes` as `type` on one path.
    public init<T: Codable>(_ type: T.Type, _ bytes: [UInt8], direct: Bool, maxDepth: Int = 64) {
        var decoder = BinaryDecoder()
        decoder.readsDirectly = direct
        decoder.maxDepth = maxDepth
        do {
            self = .value(try BinaryEncoder().encode(try decoder.decode(type, from: bytes)))
        } catch let error as DecodingError {
            self = .failure(error.kind)
        } catch {
            self = .otherError("\(error)")
        }
    }

    /// The outcome of a decoding that gave `value`.
    public static func decoded<T: Encodable>(_ value: T) throws -> DecodingOutcome {
        .value(try BinaryEncoder().encode(value))
    }

    public var description: String {
        switch self {
        case .value(let bytes): return "value \(bytes)"
        case .failure(let kind): return "\(kind)"
        case .otherError(let description): return "other error \(description)"
        }
    }
}

/// The kind of a `DecodingError`, for comparisons and table-driven checks.
public enum DecodingErrorKind: Equatable, Sendable {
    case dataCorrupted, keyNotFound, typeMismatch, valueNotFound
}

extension DecodingError {
    public var kind: DecodingErrorKind {
        switch self {
        case .dataCorrupted: return .dataCorrupted
        case .keyNotFound: return .keyNotFound
        case .typeMismatch: return .typeMismatch
        case .valueNotFound: return .valueNotFound
        @unknown default: return .dataCorrupted
        }
    }
}

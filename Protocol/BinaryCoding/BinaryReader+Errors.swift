import Foundation

// How `BinaryReader`'s shims name a key's field number and word a fault: the generic decoder's
// errors (DecoderNode+Errors.swift), built with the key only on the way out.

extension BinaryReader {
    // MARK: Keys and errors

    /// The field number of `key`, or the generic decoder's `typeMismatch` for a key without one.
    @inlinable
    static func number<K: CodingKey>(_ key: K) throws -> UInt32 {
        if let number = key.intValue, number >= Int(FieldNumber.min), number <= Int(FieldNumber.max) {
            return UInt32(truncatingIfNeeded: number)
        }
        throw invalidKey(key)
    }

    @usableFromInline
    static func invalidKey(_ key: any CodingKey) -> DecodingError {
        let message: String
        do throws(WireFailure) {
            _ = try FieldNumber.of(key)
            message = "key \"\(key.stringValue)\" has no field number"
        } catch {
            message = error.message
        }
        return .typeMismatch(type(of: key), DecodingError.Context(codingPath: [key], debugDescription: message))
    }

    /// The generic decoder's `keyNotFound` for an absent non-optional field.
    @usableFromInline
    static func missing(_ key: any CodingKey, holdingMessage: Bool = false) -> DecodingError {
        let name = fieldName(UInt32(clamping: key.intValue ?? 0), keyName: key.stringValue)
        let message = holdingMessage ? "no \(name) holding a message" : "no \(name) in the message"
        return .keyNotFound(key, DecodingError.Context(codingPath: [], debugDescription: message))
    }

    @usableFromInline
    static func failure(_ fault: FieldFault, _ key: any CodingKey) -> DecodingError {
        fault.error(key)
    }

    /// `error`, thrown by a nested message's reader, with `key` (and the element index) put before
    /// its coding path: that reader knows only the path below it.
    @usableFromInline
    static func below(_ error: any Error, _ key: any CodingKey, element: Int? = nil) -> any Error {
        guard let error = error as? DecodingError else { return error }
        let keys: [any CodingKey] = element.map { [key, BinaryCodingKey.index($0)] } ?? [key]
        func moved(_ context: DecodingError.Context) -> DecodingError.Context {
            DecodingError.Context(codingPath: keys + context.codingPath, debugDescription: context.debugDescription,
                                  underlyingError: context.underlyingError)
        }
        switch error {
        case .typeMismatch(let type, let context): return DecodingError.typeMismatch(type, moved(context))
        case .valueNotFound(let type, let context): return DecodingError.valueNotFound(type, moved(context))
        case .keyNotFound(let key, let context): return DecodingError.keyNotFound(key, moved(context))
        case .dataCorrupted(let context): return DecodingError.dataCorrupted(moved(context))
        @unknown default: return error
        }
    }

    /// An enum number `number` in field `key` that `type` has no case for (ENCODING.md §2).
    @usableFromInline
    static func unknownCase(_ type: Any.Type, _ number: Int, _ key: any CodingKey, field: UInt32) -> DecodingError {
        .dataCorrupted(DecodingError.Context(
            codingPath: [key],
            debugDescription: unknownEnumMessage(type, number: number, field: field, keyName: key.stringValue)))
    }

    /// An enum with a `String` raw value that has no case for `text`: the generic decoder's
    /// refusal (`UnknownEnumText`).
    @usableFromInline
    static func unknownCase(_ type: Any.Type, text: String, _ key: any CodingKey) -> DecodingError {
        UnknownEnumText.error(type, text: text, codingPath: [key])
    }

    /// `value`, or the generic decoder's `keyNotFound`.
    @inlinable
    static func required<K: CodingKey, V>(_ value: V?, _ key: K) throws -> V {
        guard let value else { throw missing(key) }
        return value
    }
}

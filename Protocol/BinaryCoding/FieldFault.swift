/// Why one field of a message could not be read by ``BinaryReader``, before the key is known.
///
/// The reader's value methods take a field number, not a key, so the message's own `CodingKeys`
/// never become an `any CodingKey` on the way in; only a fault is turned into the generic
/// decoder's `DecodingError` (DecoderNode+Errors.swift), with the key, on the way out.
///
/// A class: a typed `throws` of a struct with a string in it made every reader carry and clear a
/// four-word error slot on its success path too; a class is one pointer.
@usableFromInline
final class FieldFault: Error {
    enum Kind {
        /// `typeMismatch` of this Swift type.
        case mismatch(Any.Type)
        /// `dataCorrupted`.
        case corrupted
    }

    let kind: Kind
    let message: String
    /// The element of a repeated field at fault, which the coding path names after the key.
    let element: Int?

    init(kind: Kind, message: String, element: Int?) {
        self.kind = kind
        self.message = message
        self.element = element
    }

    /// The wire type of `entry` is not the one `type` is written with.
    static func mismatch(_ type: Any.Type, _ entry: FieldEntry, expected: WireType, element: Int? = nil) -> FieldFault {
        FieldFault(
            kind: .mismatch(type),
            message: wireTypeMismatchMessage(type, field: entry.number, expected: expected, found: entry),
            element: element)
    }

    static func corrupted(_ message: String, element: Int? = nil) -> FieldFault {
        FieldFault(kind: .corrupted, message: message, element: element)
    }

    /// The error the generic decoder throws for this fault in field `key`.
    func error(_ key: any CodingKey) -> DecodingError {
        let path: [any CodingKey] = element.map { [key, BinaryCodingKey.index($0)] } ?? [key]
        let context = DecodingError.Context(codingPath: path, debugDescription: message)
        switch kind {
        case .mismatch(let type): return .typeMismatch(type, context)
        case .corrupted: return .dataCorrupted(context)
        }
    }
}

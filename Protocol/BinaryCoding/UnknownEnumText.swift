import DisplayText

/// The decoders' own refusal of a text that an enum with `String` raw values has no case for,
/// carried as its `DecodingError`'s underlying error: a program recognises it by its type, and the
/// error's description is already in the wire's words (`field 2 (fields): "x" is not a value of the
/// enum RefreshField`), as an enum number without a case is (`unknownEnumMessage`). Swift's own
/// refusal ("Cannot initialize … from invalid String value …") never reaches a caller.
public struct UnknownEnumText: Error, Sendable, Hashable {
    /// The enum as CUSTOMER-API.md names it, e.g. `RefreshField`.
    public let enumName: String
    /// The text received.
    public let text: String

    /// The refusal at `codingPath`, whose last field key (not an element index) names the field.
    static func error(_ type: Any.Type, text: String, codingPath: [any CodingKey]) -> DecodingError {
        let refusal = UnknownEnumText(enumName: unqualifiedTypeName(type), text: text)
        let key = codingPath.last { !(($0 as? BinaryCodingKey)?.isIndex ?? false) }
        let field = key.flatMap { key in key.intValue.flatMap(UInt32.init(exactly:)).map { fieldPrefix($0, keyName: key.stringValue) } }
        return .dataCorrupted(DecodingError.Context(
            codingPath: codingPath, debugDescription: "\(field ?? "")\(TerminalText.quoted(text, quote: "\"")) is not a value of the enum \(refusal.enumName)",
            underlyingError: refusal))
    }
}

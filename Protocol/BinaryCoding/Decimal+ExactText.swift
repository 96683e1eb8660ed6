import Foundation

extension Decimal {
    /// The number `text` spells in the form the wire carries (`-?[0-9]+(\.[0-9]+)?`, as
    /// `description` writes it), when `Decimal` holds it exactly; nil for anything else, NaN too.
    ///
    /// For text a person typed (`customerctl`'s amounts, `customerctl call`'s JSON strings):
    /// `Decimal(string:)` reads the longest number at the front and rounds what it cannot hold, so
    /// `1.2.3` was sent as 1.2, `1-2` as 1, `--5` as 0 and a 40-digit amount rounded (fuzz29).
    /// This is the wire's own reader, so what is accepted here is what the server accepts.
    public init?(exactText text: String) {
        var text = text
        let value = text.withUTF8 { bytes in try? Decimal(wireContent: UnsafeRawBufferPointer(bytes)) }
        guard let value, !value.isNaN else { return nil }
        self = value
    }
}

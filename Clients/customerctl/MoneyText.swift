import Foundation

/// Money as a table shows it: with its currency's minor-unit digits (ISO 4217), so 1234.5 EUR
/// reads 1234.50 and 1500 JPY reads 1500. Digits beyond those are kept, never rounded away
/// (the API stores up to four), and JSON keeps the server's exact text instead.
enum MoneyText {
    /// The currencies whose minor unit is not two digits; every other code gets two.
    private static let minorDigits: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
        "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    ]

    static func format(_ amount: Decimal, currency: String?) -> String {
        let digits = currency.map { minorDigits[$0.uppercased()] ?? 2 } ?? 2
        let text = amount.description
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        let whole = parts.first ?? text
        let fraction = parts.count > 1 ? parts[1] : ""
        guard digits > 0 || !fraction.isEmpty else { return whole }
        let padded = fraction.count >= digits ? fraction : fraction + String(repeating: "0", count: digits - fraction.count)
        return whole + "." + padded
    }
}

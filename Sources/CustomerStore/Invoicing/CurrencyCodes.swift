/// The ISO 4217 codes money can be kept in.
///
/// Taken from Debian's `iso-codes` (`iso_4217.json`), like `CountryCodes`, without the codes that are
/// not a currency one prices work or invoices in (precious metals XAU XAG XPD XPT, bond-market units
/// XBA-XBD, XDR, XSU, XUA, the testing code XTS and "no currency" XXX) and without HRK, withdrawn when
/// Croatia adopted the euro in 2023.
enum CurrencyCodes {
    /// Every accepted code, upper case.
    static let assigned: Set<String> = [
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
        "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CLF",
        "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB",
        "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR",
        "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD",
        "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR",
        "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK",
        "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP",
        "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD",
        "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF",
        "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWL",
    ]

    /// A currency code: three letters, stored upper case, one of `assigned`.
    /// - Parameter field: the API name reported on refusal.
    static func check(_ value: String, field: String) -> CustomerValidator.Checked {
        let code = value.uppercased()
        guard assigned.contains(code) else {
            return .failure(FieldViolation(field: field, reason: "must be an ISO 4217 currency code such as EUR"))
        }
        return .success(code)
    }
}

import Foundation

/// What the fuzz target `registry` (Tests/Fuzz) drives: the providers' parse step from a 200 or
/// 410 answer's body to a `RegistryRecord`, the same functions a lookup calls once the HTTP
/// exchange is done, without the network. A hostile or broken registry, or a proxy in between,
/// answers anything; each must give a record or a `RegistryError`, never trap.
/// `@_spi(Fuzzing)` keeps it out of the public API.
@_spi(Fuzzing) public enum RegistryAnswerFuzzing {
    /// Which answer the body is read as.
    public enum Answer: CaseIterable, Sendable {
        /// PRH's `GET /companies?businessId=…` (200).
        case finnishCompanies
        /// Brønnøysund's `GET /enheter/{orgnr}` (200).
        case norwegianUnit
        /// Brønnøysund's `GET /underenheter/{orgnr}` (200): a branch.
        case norwegianSubUnit
        /// Brønnøysund's 410 Gone: its error document, read for a deletion date.
        case norwegianGone
    }

    /// The business id asked for: the Finnish answer's company of this id is taken before the first.
    public static let finnishBusinessID = "0112038-9"
    public static let norwegianOrganisationNumber = "923609016"

    /// Reads `body` as `answer` reads it.
    public static func record(_ answer: Answer, body: Data) throws(RegistryError) -> RegistryRecord {
        let base = URL(fileURLWithPath: "/registry")
        switch answer {
        case .finnishCompanies:
            return try FinnishRegistryProvider.record(from: body, businessID: finnishBusinessID,
                                                      url: base.appendingPathComponent("companies"))
        case .norwegianUnit:
            return try BrregUnit.record(from: body, url: base.appendingPathComponent("enheter"), branch: false)
        case .norwegianSubUnit:
            return try BrregUnit.record(from: body, url: base.appendingPathComponent("underenheter"), branch: true)
        case .norwegianGone:
            return BrregUnit.gone(norwegianOrganisationNumber, body: body, url: base.appendingPathComponent("enheter"),
                                  branch: false)
        }
    }
}

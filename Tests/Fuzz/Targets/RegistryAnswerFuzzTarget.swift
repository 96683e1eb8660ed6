@_spi(Fuzzing) import BusinessRegistry
import Foundation

/// Fuzz target (h): a registry's answer, as a hostile or broken registry (or a proxy) may give it.
///
/// Input: one byte choosing the answer (PRH's companies, Brønnøysund's unit, sub-unit or 410 Gone
/// document), then the body. It must read as a record or a `RegistryError`; a record keeps the
/// promises the refresh relies on (a name, when there is one, is not blank; only a deregistered
/// company may have none), and its standing and its differences from a customer are computed,
/// as a refresh's dry run does.
enum RegistryAnswerFuzzTarget {
    static let answers = RegistryAnswerFuzzing.Answer.allCases

    static func run(_ input: UnsafeRawBufferPointer) {
        guard let selector = input.first else { return }
        let answer = answers[Int(selector) % answers.count]
        guard let record = try? RegistryAnswerFuzzing.record(answer, body: Data(input.dropFirst())) else { return }
        if let name = record.officialName, name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            fatalError("\(answer): a blank official name \(name.debugDescription) was taken")
        }
        if record.officialName == nil && record.deregistered == nil {
            fatalError("\(answer): a company in force without an official name was accepted")
        }
        _ = record.standing
        let current = CustomerRegistryValues(name: "Acme Oy", address: RegistryAddress(
            lines: ["Karakaari 7"], postalCode: "02610", city: "ESPOO", country: "FI"),
            email: "info@acme.example", website: "https://acme.example/")
        _ = RegistryDiff.differences(current: current, registry: record)
    }

    /// The input for `body` read as `answer`.
    static func input(_ answer: RegistryAnswerFuzzing.Answer, body: [UInt8]) -> [UInt8] {
        [UInt8(answers.firstIndex(of: answer) ?? 0)] + body
    }

    /// The captured answers of Tests/RegistryTestSupport/Fixtures, each read as what it is (and a
    /// unit's also as a 410 document), and hostile bodies: deep nesting, huge numbers, wrong types,
    /// blank names, bytes that are not UTF-8.
    static func seeds() -> [[UInt8]] {
        let directory = FuzzSeeds.repository.appendingPathComponent("Tests/RegistryTestSupport/Fixtures")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
        var seeds: [[UInt8]] = []
        for name in names where name.hasSuffix(".json") {
            guard let body = try? Data(contentsOf: directory.appendingPathComponent(name)) else { continue }
            let answers: [RegistryAnswerFuzzing.Answer] = name.hasPrefix("fi-") ? [.finnishCompanies]
                : name.contains("underenhet") ? [.norwegianSubUnit] : [.norwegianUnit, .norwegianGone]
            seeds += answers.map { input($0, body: [UInt8](body)) }
        }
        let hostile: [(RegistryAnswerFuzzing.Answer, String)] = [
            (.finnishCompanies, String(repeating: "[", count: 100_000)),
            (.finnishCompanies, #"{"companies":[{"businessId":{"value":"0112038-9"},"names":[{"name":" ","type":"1"}]}]}"#),
            (.finnishCompanies, #"{"companies":[{"businessId":{"value":"0112038-9"},"names":[],"endDate":"\t"}]}"#),
            (.finnishCompanies, #"{"companies":[{"businessId":{"value":1e400},"names":[]}]}"#),
            (.norwegianUnit, #"{"organisasjonsnummer":"923609016","navn":"\u0000\ud800","konkurs":1}"#),
            (.norwegianUnit, #"{"organisasjonsnummer":"923609016","navn":"  ","slettedato":""}"#),
            (.norwegianSubUnit, #"{"organisasjonsnummer":"971234563","navn":"X","overordnetEnhet":"../../x"}"#),
            (.norwegianGone, #"{"slettedato":["2024-01-01"]}"#),
        ]
        seeds += hostile.map { input($0.0, body: Array($0.1.utf8)) }
        seeds.append(input(.norwegianUnit, body: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]))
        return seeds
    }
}

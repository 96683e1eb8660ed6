import CommandLineKit
import CustomerClient
import Foundation

/// A refused call as the command line says it: the request fields the server names become the
/// command's flags (`allowDuplicateVat=true` → `--allow-duplicate-vat`, `vatNumber:` → `--vat:`),
/// and each detail is stated once.
enum CommandFailure {
    /// Wire fields whose flag is not simply their name in kebab case.
    private static let renamed = ["vatNumber": "vat"]

    static func text(for error: RPCError, options: [Option]) -> String {
        var message = error.message
        // Whether the message states a detail is asked of it as the server sent it: the flags'
        // rewriting below may change the detail's words inside it.
        let stated = Set(error.details.filter { error.message.contains($0.text) }.map(\.text))
        let flags = Dictionary(options.map { (wireName(of: $0), $0.spelling) }, uniquingKeysWith: { first, _ in first })
        for (field, flag) in flags.sorted(by: { $0.key.count > $1.key.count }) {
            // "send confirm=true to delete it" → "add --confirm to delete it".
            message = message.replacingOccurrences(of: "send \(field)=true", with: "add \(flag)")
            message = message.replacingOccurrences(of: "\(field)=true", with: flag)
        }
        var rendered: [String] = []
        for detail in error.details {
            let flag = flags[lastComponent(detail.field)]
            if stated.contains(detail.text) {
                if let flag { message = message.replacingOccurrences(of: detail.field + ": ", with: flag + ": ") }
            } else if let flag {
                // A message that already names the flag ("add --confirm ...") has said it.
                if !message.contains(flag) { rendered.append("\(flag): \(detail.reason)") }
            } else {
                rendered.append(detail.text)
            }
        }
        let details = rendered.isEmpty ? "" : " (" + rendered.joined(separator: ", ") + ")"
        return "\(error.code): \(message)\(details)"
    }

    /// The request field an option sets: its name in camel case (`allow-duplicate-vat` →
    /// `allowDuplicateVat`), or the wire name it was given another flag for.
    private static func wireName(of option: Option) -> String {
        if let field = renamed.first(where: { $0.value == option.name })?.key { return field }
        let words = option.name.split(separator: "-")
        return words.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
    }

    /// `fields.vatNumber` → `vatNumber`: the option sets the field wherever the request nests it.
    private static func lastComponent(_ field: String) -> String {
        field.split(separator: ".").last.map(String.init) ?? field
    }
}

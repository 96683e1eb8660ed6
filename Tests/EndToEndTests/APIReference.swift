import BinaryCoding
import RPCClient
import RPCServing

/// Protocol/CUSTOMER-API.md, rendered from what a running server's reflection service answers
/// (`DescribeServices`): the field tables are the coding keys the messages' decoders ask for.
enum APIReference {
    static let regenerateCommand = "CUSTOMER_API_WRITE=1 swift test --filter APIDocumentationTests"

    static func markdown(_ description: DescribeServicesResponse) -> String {
        var out: [String] = [introduction]
        let used = Set(description.messages.flatMap { $0.fields.flatMap { [$0.type] + ($0.keyType.map { [$0] } ?? []) } })
        out.append("**Scalar types** (ENCODING.md §2):\n")
        out.append("| type | wire type | value |\n| --- | --- | --- |")
        for (type, wire, value) in scalars where used.contains(type) {
            out.append("| `\(type)` | \(wire) | \(value) |")
        }
        out.append("")
        out.append("## Services\n")
        for service in description.services {
            out.append("### `\(service.name)`\n")
            out.append("| method | kind | request | response | requires | notes |\n| --- | --- | --- | --- | --- | --- |")
            for method in service.methods {
                out.append("| `\(method.name)` | \(kindName(method.kind)) | \(link(method.request, description.schema)) "
                    + "| \(link(method.response, description.schema)) | \(method.requirement ?? "") | \(method.summary ?? "") |")
            }
            out.append("")
        }
        out.append("## Enumerations\n")
        out.append("An enum with numbers travels as its number, a plain varint (wire type 0) as in protobuf; one with\n"
            + "texts travels as its text (wire type 2). A value the receiver has no case for is refused\n"
            + "(ENCODING.md §2): a request holding one is answered `INVALID_ARGUMENT`.\n")
        for enumeration in description.enums.sorted(by: { $0.name < $1.name }) {
            out.append("### `\(enumeration.name)`\n")
            let texts = enumeration.values.contains { $0.text != nil }
            out.append(texts ? "| value | text |\n| --- | --- |" : "| value | number |\n| --- | --- |")
            for value in enumeration.values {
                out.append("| `\(value.name)` | " + (texts ? "`\"\(value.text ?? "")\"`" : "\(value.number ?? 0)") + " |")
            }
            out.append("")
        }
        out.append("## Messages\n")
        for message in description.messages.sorted(by: { $0.name < $1.name }) {
            out.append("### `\(message.name)`\n")
            guard !message.fields.isEmpty else {
                out.append("No fields: an empty message (zero bytes).\n")
                continue
            }
            out.append("| # | field | type | label | wire type |\n| --- | --- | --- | --- | --- |")
            for field in message.fields.sorted(by: { $0.number < $1.number }) {
                var type = link(field.type, description.schema)
                if let key = field.keyType { type = "\(link(key, description.schema)) → \(type)" }
                out.append("| \(field.number) | `\(field.name)` | \(type) | \(labelName(field.label)) | \(wireName(field)) |")
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    private static let introduction = """
        # The customer API (`customer.v1`)

        Services, methods and messages of the customer card service, as they travel on the wire. The
        framing, handshake, status codes and built-in services are in [PROTOCOL.md](PROTOCOL.md); how a
        message is encoded (tags, wire types, each type) is in [ENCODING.md](ENCODING.md). A field is
        identified by its number: numbers never change and are never reused; new fields only get new
        numbers, and readers skip fields they do not know. In update requests an absent field means
        "unchanged" and an empty string clears an optional text.

        This file is generated from what a running server's reflection service answers
        (`rpc.reflection.v1.Reflection/DescribeServices`, PROTOCOL.md §12): each message's fields are the
        coding keys its decoder asks for, so this file, the reflection service and the wire agree. A test
        regenerates it and fails when it differs; to rewrite it after changing the API, run
        `\(regenerateCommand)` and review the diff.

        Every call runs as the user the caller's OS uid maps to, and each method needs what its
        "requires" column says, from that user's permission profile (docs/PERMISSIONS.md); a refusal
        is `PERMISSION_DENIED` with the detail `right` naming the missing right (`Rights` field name). An
        OS user that is no CustomerCard user (or a deactivated one) gets `UNAUTHENTICATED` from every method
        here, its message naming the `customerctl users add` command; the built-in `rpc.*` services
        (PROTOCOL.md §12) answer anyone who may connect, but `GetServerInfo` gives the server's activity
        (connections, calls, methods) to active users only. The first start of customerd on a new database
        makes the OS user running it (and root) administrators. A
        user flagged as a trusted service may send the call metadata `acting-for: USER NAME`: the call
        then runs as that person; from anyone else it is refused (`PERMISSION_DENIED`, detail `acting-for`,
        however often it is given). A call names one person: from a trusted service, `acting-for` given
        more than once is refused (`INVALID_ARGUMENT`, detail `acting-for`), whatever the names.

        A method whose notes say "Takes an `idempotency-key`" is a write that is safe to retry: sent again
        with the same `idempotency-key` metadata by the same user within 24 hours, it is not done twice and
        gets the first answer (PROTOCOL.md, 7.1). The Swift client library sends a new key with every such
        call.

        **Refusals.** A request refused for a field (`INVALID_ARGUMENT`, the `FAILED_PRECONDITION` or
        `OUT_OF_RANGE` of a field, such as `confirm` or `after`, and the records' refusals: `NOT_FOUND`,
        `ALREADY_EXISTS`, `ABORTED` and `FAILED_PRECONDITION` of a record's state) carries one error detail
        per field at fault, named as in the message that holds it here, and its STATUS message is those
        details as `field: reason`, joined by `; `: `limit: must be between 1 and 1000, got 5000`, `id: give
        exactly one of id and number, to name the customer`, `customerId: customer 7 does not exist`,
        `expectedVersion: customer 7 was changed by someone else: …`, `force: 2 contacts carry the keyword
        'vip': …` (PROTOCOL.md §6.1 lists which fields). A request message the server cannot
        decode is refused `INVALID_ARGUMENT` "cannot decode the request message of *method*: …" in field
        numbers and the types named here (PROTOCOL.md §10.1).

        **Text.** A text field is stored trimmed of white space at both ends and in Unicode's composed form
        (NFC: `e` and a combining accent become `é`), whole or not at all, and read back in that form; a
        name, label, industry or profile sent in either form is the same one, found and refused as existing
        alike. The unique names (users, profiles, keywords, roles, industries, sibling segments) are
        compared by Unicode's identifier fold (NFKC_Casefold in spirit): ignoring case in every script
        by full case folding, compatibility forms and characters that do not show (Unicode's
        default-ignorable code points and format characters): "ÉCOLE", "École" and "école" are one
        keyword, "STRAẞE" and "strasse" one industry, full-width "ＡＣＭＥ" and "ACME" one, "VIP"
        with a zero-width space, a soft hyphen or a variation selector (U+FE0F) in it is "VIP", and
        "A", a Hangul filler (U+3164) and "B" is "AB"; the second is
        refused `ALREADY_EXISTS` "name: is already taken by the keyword 'ÉCOLE' …", naming the one that
        has it; accents are not folded ("ecole" is another keyword). Its limit counts Unicode code points after composing, as SQLite's `length()` does. A text longer than four code points for each one its limit allows cannot fit whatever composing joins (at most four code points compose into one, as U+1F82 `ᾂ`), so it is refused by its length before it is composed, with the same answer. More than 30 combining marks in a row (no language needs them) get a combining grapheme joiner (U+034F, which shows nothing and which search and the fold ignore) after each 30 before composing, as Unicode's Stream-Safe Text Format has it, and are read back so: composing such a run costs the square of its length. No text
        may hold a control character (Unicode category Cc: NUL, escape, DEL, the C1 range) or a line or
        paragraph separator, except the free texts, which may hold line feeds and tabs: a customer's
        `description`, a contact's `notes`, the `text` of an activity note and of a collaboration note, a lost
        sales case's `reason` and an invoice's `description`. Every other text is one line and may not hold
        a bidirectional embedding, override or isolate either (U+202A to U+202E, U+2066 to U+2069: they make
        a name print reversed), and a required one needs a character that shows: one of only white space,
        combining marks or characters that do not show (zero-width space, joiners, U+FEFF, Hangul
        fillers) is empty. A refusal is
        `INVALID_ARGUMENT` with the field in the details. Names that are only looked up (users, keywords,
        roles, industries) and the `search` of a customer query are composed and refuse control characters
        the same way; a `search` is at most 256 characters (no searched field is longer). A request naming more than 1000 distinct keywords,
        or more than 1000 distinct roles, is refused on that field before any is looked up; a name given more than once
        (white space at its ends aside) is looked up, written and refused once. The repeated fields that name values
        of a small fixed set (`MergeCustomersRequest.doNotFill`, `UpdateActivityRequest.clear`,
        `GetCustomerCardRequest.tabs`, `WatchChangesRequest.kinds`, `RefreshFromRegistryRequest.fields`) hold at
        most 64 entries, copies included: past that the call is `INVALID_ARGUMENT` on that field, nothing done.

        **Labels.** *singular*: always written, even when 0, `false` or empty; a request without it is
        `INVALID_ARGUMENT`. *optional*: absent means not set. *repeated*: one occurrence per element,
        absent when empty (scalars packed into one wire-type-2 occurrence). *map*: one entry message per
        pair, key as field 1 and value as field 2 (ENCODING.md §6).

        """

    /// The scalar types a schema names, as ENCODING.md §2 writes them.
    private static let scalars: [(String, Int, String)] = [
        ("string", 2, "UTF-8"), ("bytes", 2, "raw bytes"), ("sint64", 0, "zigzag varint"), ("sint32", 0, "zigzag varint"),
        ("sint16", 0, "zigzag varint"), ("sint8", 0, "zigzag varint"), ("uint64", 0, "varint"), ("uint32", 0, "varint"),
        ("uint16", 0, "varint"), ("uint8", 0, "varint"), ("bool", 0, "varint 0 or 1"),
        ("double", 1, "IEEE 754 binary64, little-endian"), ("float", 5, "IEEE 754 binary32, little-endian"),
        ("timestamp", 1, "seconds since 2001-01-01T00:00:00Z as a binary64, little-endian"),
        ("decimal", 2, "exact decimal text, e.g. `-1234.5`"), ("uuid", 2, "16 bytes"), ("url", 2, "UTF-8 of the absolute URL"),
    ]

    private static func kindName(_ kind: MethodKind) -> String {
        switch kind {
        case .unary: "unary"
        case .serverStreaming: "server streaming"
        case .clientStreaming: "client streaming (a stream of requests)"
        case .bidirectionalStreaming: "bidirectional streaming"
        }
    }

    private static func labelName(_ label: FieldLabel) -> String {
        switch label {
        case .singular: "singular"
        case .optional: "optional"
        case .repeated: "repeated"
        case .map: "map"
        }
    }

    private static func wireName(_ field: FieldSchema) -> String {
        let name = switch field.wireType {
        case 0: "0 varint"
        case 1: "1 fixed64"
        case 2: "2 length-delimited"
        case 5: "5 fixed32"
        default: "\(field.wireType)"
        }
        return field.label == .repeated && field.wireType != 2 ? "\(name), packed" : name
    }

    /// A message or enum name as a link to its section; a scalar as code.
    private static func link(_ type: String, _ schema: Schema) -> String {
        guard schema.message(named: type) != nil || schema.enumeration(named: type) != nil else { return "`\(type)`" }
        let anchor = type.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return "[`\(type)`](#\(anchor))"
    }
}

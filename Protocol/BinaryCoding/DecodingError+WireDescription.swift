extension DecodingError {
    /// What failed and where, in the wire's terms (field numbers and element indexes), without
    /// Swift's type names or the enum's own description: the text a refusal carries to a client
    /// that may not be written in Swift (`cannot decode the request message of M: no field 1 in
    /// the message`, `… (at field 4[2])`). The decoders' messages already say what failed; the
    /// coding path says in which nested message.
    public var wireDescription: String {
        let context: Context
        switch self {
        case .typeMismatch(_, let found), .valueNotFound(_, let found), .keyNotFound(_, let found),
             .dataCorrupted(let found):
            context = found
        @unknown default:
            return "the message does not match its schema"
        }
        let what = context.debugDescription
        let path = Self.wirePath(context.codingPath)
        return path.isEmpty ? what : "\(what) (at field \(path))"
    }

    /// `4[2].1` for field 1 of the third element of repeated field 4; a key without a field
    /// number (none on the wire) by its name.
    static func wirePath(_ keys: [any CodingKey]) -> String {
        var path = ""
        for key in keys {
            if let index = key as? BinaryCodingKey, index.isIndex {
                path += "[\(index.intValue ?? 0)]"
            } else {
                if !path.isEmpty { path += "." }
                path += key.intValue.map { String($0) } ?? key.stringValue
            }
        }
        return path
    }
}

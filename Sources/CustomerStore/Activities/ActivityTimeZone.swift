import Foundation

/// The zone an activity's times were given in: an IANA name (`Europe/Helsinki`) or a fixed offset
/// as Foundation names it (`GMT+0200`), checked against the zones this machine knows.
enum ActivityTimeZone {
    /// The zone's canonical name, or a violation of `timeZone`; nil in, nil out.
    static func validate(_ text: String?) -> (zone: String?, violation: FieldViolation?) {
        guard let text else { return (nil, nil) }
        let trimmed = text.trimmingWhitespace()
        guard trimmed.count <= 64, let zone = TimeZone(identifier: trimmed) else {
            return (nil, FieldViolation(field: "timeZone",
                                        reason: "must be a time zone name such as Europe/Helsinki, or GMT+0200"))
        }
        return (zone.identifier, nil)
    }
}

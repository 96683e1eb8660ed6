import Foundation
import Glibc

/// The zone a time typed without one is read in: this machine's, as libc (and `date`) reads `TZ`.
///
/// Foundation reads `TZ` only as a zone name: libc's other spellings of a name, `:Europe/Helsinki`
/// and `/usr/share/zoneinfo/Europe/Helsinki` (`:/etc/localtime` too), it took as UTC, and a POSIX
/// rule `UTC-3` (three hours east of UTC) as three hours west, so a time typed at 10:00 was stored
/// hours away from what `date` shows, without a word (redteam26). Names are read in each spelling;
/// what Foundation cannot read as libc does is refused, never guessed.
public enum LocalTimeZone {
    /// The zone, or a usage error naming `TZ` when Foundation would read it otherwise than libc.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(UsageError) -> TimeZone
    {
        guard let value = environment["TZ"], !value.isEmpty else { return .current }
        if let zone = TimeZone(identifier: name(in: value)), zone.secondsFromGMT() == libcOffsetNow() {
            return zone
        }
        throw UsageError("TZ is '\(value)', which this tool cannot read as this machine's clock does (only a zone "
                         + "name, such as Europe/Helsinki, :Europe/Helsinki or a file under /usr/share/zoneinfo); "
                         + "give the time with its zone (2026-12-15T10:00+02:00) or set TZ to a zone name")
    }

    /// The zone name a `TZ` value spells: without libc's leading colon, and a file's path (a link
    /// such as /etc/localtime followed) as the name under `zoneinfo/`.
    static func name(in value: String) -> String {
        var name = value.hasPrefix(":") ? String(value.dropFirst()) : value
        if name.hasPrefix("/") {
            name = URL(fileURLWithPath: name).resolvingSymlinksInPath().path
            if let range = name.range(of: "/zoneinfo/") { name = String(name[range.upperBound...]) }
            if name.hasPrefix("posix/") { name = String(name.dropFirst("posix/".count)) }
        }
        return name
    }

    /// The offset from UTC libc gives this process's `TZ` now (`localtime_r`'s `tm_gmtoff`).
    private static func libcOffsetNow() -> Int {
        tzset()
        var now = time(nil)
        var parts = tm()
        guard localtime_r(&now, &parts) != nil else { return Int.min }
        return parts.tm_gmtoff
    }
}

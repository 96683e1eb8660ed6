import RPCCore

/// The cap on the repeated request fields that name values of a small fixed set: a merge's
/// `doNotFill`, an activity update's `clear`, a card's `tabs`, a watch's `kinds` and a registry
/// refresh's `fields`. A real caller names each value once (8 fillable fields, 4 clearable, 6 tabs,
/// 8 kinds, 4 registry fields), so copies count here, unlike keywords and roles, whose distinct
/// names are what costs: without it a 4 MiB request held up to 4 million entries (1 800 000
/// `clear` entries, 300 000 unknown `doNotFill` names refused one violation each, listing the
/// fillable fields every time), all decoded, kept and walked while others waited.
enum RepeatedFieldCap {
    /// Entries one such field may hold, copies included: several times every set's size.
    static let maxEntries = 64

    /// Refuses `field` (`INVALID_ARGUMENT`, naming it) when it holds more than ``maxEntries``.
    static func check(_ count: Int, field: String) throws {
        guard count > maxEntries else { return }
        throw RPCError(.invalidArgument, field: field,
                       "at most \(maxEntries) entries (each value once is enough), got \(count)")
    }
}

/// Which tabs a card's read asks for, one flag a tab.
///
/// Not a `Set<CardTabSelection>`: that enum is `String`-backed, so `Set.contains` hashed its raw
/// value's text (six look-ups a card, ~900 instructions, docs/performance/HISTORY.md "card21"), and
/// a server building the set from a request paid the unspecialised `Set(minimumCapacity:)` (~680)
/// and a hashed `contains(.financial)` (~335) a card; flags are set and read with no hashing and no
/// storage (docs/performance/HISTORY.md "serve32").
public struct AskedCardTabs: Sendable, Equatable {
    public var contactInformation = false, salesAndProjects = false, collaboration = false, financial = false,
        settings = false, files = false

    /// No tab asked for.
    public init() {}

    /// The tabs in `tabs`.
    public init(_ tabs: Set<CardTabSelection>) {
        for tab in tabs { insert(tab) }
    }

    /// Asks for `tab` too.
    public mutating func insert(_ tab: CardTabSelection) {
        switch tab {
        case .contactInformation: contactInformation = true
        case .salesAndProjects: salesAndProjects = true
        case .collaboration: collaboration = true
        case .financial: financial = true
        case .settings: settings = true
        case .files: files = true
        }
    }
}

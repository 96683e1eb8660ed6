/// How a page with a search reads its rows: as ``CustomerListingQuery/page(_:after:limit:reading:each:)``
/// chooses, or one way whatever the candidates (the tests, which compare the two).
enum SearchRead {
    case chosen
    /// The order's index or the table, each row's LIKE tested.
    case scan
    /// The trigram index's candidates by rowid (when the term has trigrams), sorted.
    case index
}
